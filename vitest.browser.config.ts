import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:browser`: the dashboard driven in Debian's Chromium (playwright-core) against the real
// local stack. One file at a time: each starts a server, a sandbox and a browser.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/server/test/browser/**/*.test.ts'],
    exclude: configDefaults.exclude,
    testTimeout: 90_000,
    fileParallelism: false,
  },
});
