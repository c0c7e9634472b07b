import { defineConfig } from 'vitest/config';
import base, { RELIABILITY_TESTS } from './vitest.config.js';

// `npm run test:reliability`: the scenarios of docs/reliability.md, one file at a time (each one loads
// the machine's two cores on its own), with the same source aliases as `npm test`. Spread, not
// mergeConfig: mergeConfig concatenates `include`, which would pull in the whole `npm test` suite.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [`${RELIABILITY_TESTS}/*.test.ts`],
    exclude: ['**/node_modules/**', '**/dist/**'],
    fileParallelism: false,
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
