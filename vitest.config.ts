import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const src = (pkg: string, entry = 'index.ts') =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${entry}`, import.meta.url));

/** The reliability suite (`npm run test:reliability`, vitest.reliability.config.ts): minutes long, not in `npm test`. */
export const RELIABILITY_TESTS = 'packages/server/test/reliability/**';

// Tests import workspace packages from source, so `npm test` never depends on a stale build.
export default defineConfig({
  resolve: {
    // Longer keys first: an alias also matches as a prefix, so '@notifykit/sdk' would swallow its subpaths.
    alias: {
      '@notifykit/sdk/signing': src('sdk', 'signing/index.ts'),
      '@notifykit/sdk/webhooks': src('sdk', 'webhooks/index.ts'),
      '@notifykit/sdk/lifecycle': src('sdk', 'lifecycle/index.ts'),
      '@notifykit/sdk': src('sdk'),
      '@notifykit/sandbox': src('sandbox'),
      '@notifykit/server': src('server'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // The dashboard's browser tests need Chromium and a built page (`npm run test:browser`); the
    // reliability suite runs on its own (`npm run test:reliability`).
    exclude: [...configDefaults.exclude, 'packages/server/test/browser/**', RELIABILITY_TESTS],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
