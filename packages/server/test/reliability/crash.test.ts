import { afterAll, describe, expect, it } from 'vitest';
import { requirePostgresUnlessLocal } from '../support/postgres.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from '../support/test-databases.js';
import { tempDir } from '../support/test-server.js';
import { awaitConvergence, expectExactlyOnce } from './support/convergence.js';
import { reportFigures } from './support/figures.js';
import { knob, SEED, seededRandom, sleep } from './support/knobs.js';
import { stagePayouts } from './support/payout-driver.js';
import { startProcessStack } from './support/process-stack.js';

// Crash: payouts staged through the API while the sandbox drives their webhooks; the server is
// SIGKILLed three times and the sandbox once, at seeded random moments of the run. Afterwards every
// payout's status and event set equal the sandbox's (the ground truth): nothing lost, nothing staged
// or applied twice.

const PAYOUTS = knob('CRASH_PAYOUTS', 1000);
const CONCURRENCY = knob('CRASH_CONCURRENCY', 8);
const CONVERGE_TIMEOUT_MS = knob('CONVERGE_TIMEOUT_MS', 180_000);
const SERVER_KILLS = 3;

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('reliability-crash');
afterAll(() => dir.remove());

function crashScenario(name: 'SQLite' | 'PostgreSQL', database: TestDatabaseFactory) {
  describe(`crash on ${name}`, () => {
    it(`${PAYOUTS} payouts, server SIGKILLed ${SERVER_KILLS}× and the sandbox once: every payout equals the sandbox's`, async () => {
      const db = await database();
      const stackDir = tempDir(`crash-${name}`);
      const stack = await startProcessStack({ dir: stackDir.path, databaseUrls: [db.url] });
      const [server] = stack.servers;
      try {
        // Kill moments: seeded points of the staging run (by payouts acknowledged), plus a random delay.
        const random = seededRandom(SEED + (name === 'SQLite' ? 1 : 2));
        const at = (from: number, to: number) => Math.floor(PAYOUTS * (from + random() * (to - from)));
        const kills = [
          ...Array.from({ length: SERVER_KILLS }, (_, i) => ({
            what: 'server' as const,
            at: at(0.05 + i * 0.3, 0.3 + i * 0.3),
          })),
          { what: 'sandbox' as const, at: at(0.1, 0.9) },
        ].map((k) => ({ ...k, delayMs: Math.floor(random() * 250), done: false }));
        let chaos = Promise.resolve();
        const killLog: string[] = [];
        const keys = Array.from({ length: PAYOUTS }, (_, i) => `crash-${name}-${SEED}-${i}`);

        const started = Date.now();
        const staging = await stagePayouts({
          baseUrl: () => server!.url,
          apiToken: stack.apiToken,
          keys,
          concurrency: CONCURRENCY,
          onAcknowledged: (count) => {
            for (const kill of kills) {
              if (kill.done || count < kill.at) continue;
              kill.done = true;
              chaos = chaos.then(async () => {
                await sleep(kill.delayMs);
                killLog.push(`${kill.what}@${count}+${kill.delayMs}ms`);
                if (kill.what === 'server') {
                  await server!.kill();
                  await server!.start();
                } else {
                  await stack.killSandbox();
                  await stack.startSandbox();
                }
              });
            }
          },
        });
        await chaos;
        const stagedMs = Date.now() - started;
        expect(killLog, 'every planned kill happened').toHaveLength(SERVER_KILLS + 1);

        const { comparison, convergeMs } = await awaitConvergence(stack, db.url, keys, CONVERGE_TIMEOUT_MS);
        reportFigures(`crash/${name}`, {
          sent: staging.sent,
          acknowledged: staging.acknowledged,
          applied: comparison.applied,
          emitted: comparison.emitted,
          lost: comparison.lost,
          stagedTwice: comparison.stagedTwice,
          appliedTwice: comparison.appliedTwice,
          statusMismatch: comparison.statusMismatch,
          retriedRequests: staging.retried,
          stagingMs: stagedMs,
          convergeMs,
          kills: killLog.join(','),
          answers: JSON.stringify(staging.answers),
          seed: SEED,
        });
        expect(staging.acknowledged).toBe(PAYOUTS);
        expect(comparison.emitted, 'the run produced at least 5 events per payout').toBeGreaterThanOrEqual(5 * PAYOUTS);
        expectExactlyOnce(comparison, PAYOUTS);
      } finally {
        await stack.close();
        stackDir.remove();
        await db.cleanup();
      }
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'crash.db' }, 'rel_crash', crashScenario);
