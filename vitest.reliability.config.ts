import { defineConfig } from 'vitest/config';
import base, { RELIABILITY_TESTS } from './vitest.config.js';

// `npm run test:reliability`: the scenarios of docs/reliability.md, two files at a time, with the same
// source aliases as `npm test`. Spread, not mergeConfig: mergeConfig concatenates `include`, which would pull in the whole `npm test` suite.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [`${RELIABILITY_TESTS}/*.test.ts`],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // Two scenario files at a time: much of a scenario is waiting (an outage, a drain, a restart), so two
    // share the machine's two cores without starving each other; every stack takes free ports and its
    // own databases. One at a time took over 25 minutes.
    maxWorkers: 2,
    testTimeout: 900_000,
    hookTimeout: 120_000,
  },
});
