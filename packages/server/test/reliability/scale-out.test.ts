import { expect, it } from 'vitest';
import { requirePostgresUnlessLocal } from '../support/postgres.js';
import { describeOnPostgres, postgresDatabase } from '../support/test-databases.js';
import { tempDir } from '../support/test-server.js';
import { awaitConvergence, expectExactlyOnce } from './support/convergence.js';
import { startFanOutRelay } from './support/fan-out-relay.js';
import { reportFigures } from './support/figures.js';
import { knob, SEED, sleep } from './support/knobs.js';
import { stagePayouts } from './support/payout-driver.js';
import { startProcessStack } from './support/process-stack.js';

// Scale-out: two `notifykit-server` processes on one PostgreSQL database. Payouts are staged through
// both; the sandbox goes away for a while so both outbox workers race over the same backlog; every
// webhook is delivered to both instances at the same moment. Exactly once, no deadlock, no 5xx.

const PAYOUTS = knob('SCALE_PAYOUTS', 300);
const SANDBOX_DOWN_MS = knob('SCALE_SANDBOX_DOWN_MS', 5000);
const CONVERGE_TIMEOUT_MS = knob('CONVERGE_TIMEOUT_MS', 180_000);

const postgres = await requirePostgresUnlessLocal();

describeOnPostgres(postgres, 'scale-out on PostgreSQL', () => {
  it(`${PAYOUTS} payouts through two instances racing: exactly once, no deadlock, no 5xx`, async () => {
    const db = await postgresDatabase('rel_scale')();
    const dir = tempDir('scale-out');
    let servers: string[] = [];
    const relay = await startFanOutRelay(() => servers);
    const stack = await startProcessStack({ dir: dir.path, databaseUrls: [db.url, db.url], webhookUrl: relay.url });
    servers = stack.servers.map((s) => s.url);
    try {
      const keys = Array.from({ length: PAYOUTS }, (_, i) => `scale-${SEED}-${i}`);
      let turn = 0;
      let outage: Promise<void> | undefined;
      const started = Date.now();
      const staging = await stagePayouts({
        baseUrl: () => servers[turn++ % 2]!,
        apiToken: stack.apiToken,
        keys,
        concurrency: 8,
        onAcknowledged: (count) => {
          // A third of the way in, Ingo goes away: both outbox workers then race over the backlog.
          if (count === Math.floor(PAYOUTS / 3) && outage === undefined) {
            outage = (async () => {
              await stack.killSandbox();
              await sleep(SANDBOX_DOWN_MS);
              await stack.startSandbox();
            })();
          }
        },
      });
      await outage;
      const { comparison, convergeMs } = await awaitConvergence(stack, db.url, keys, CONVERGE_TIMEOUT_MS);
      const output = stack.servers.map((s) => s.output()).join('\n');
      const fivexx = Object.entries({ ...staging.answers })
        .filter(([s]) => Number(s) >= 500)
        .reduce((n, [, c]) => n + c, 0);
      const relayFivexx = Object.entries(relay.answers)
        .filter(([s]) => Number(s) >= 500 || Number(s) === 0)
        .reduce((n, [, c]) => n + c, 0);
      const deadlocks = (output.match(/deadlock/gi) ?? []).length;
      reportFigures('scale-out/PostgreSQL', {
        sent: staging.sent,
        acknowledged: staging.acknowledged,
        applied: comparison.applied,
        emitted: comparison.emitted,
        webhookDeliveries: relay.deliveries,
        deliveriesToInstances: Object.values(relay.answers).reduce((a, b) => a + b, 0),
        lost: comparison.lost,
        stagedTwice: comparison.stagedTwice,
        appliedTwice: comparison.appliedTwice,
        apiFivexx: fivexx,
        webhookFivexxOrNoAnswer: relayFivexx,
        deadlocks,
        totalMs: Date.now() - started,
        convergeMs,
        answers: JSON.stringify(relay.answers),
      });
      expect(staging.acknowledged).toBe(PAYOUTS);
      expect(fivexx, `API 5xx: ${JSON.stringify(staging.answers)}`).toBe(0);
      expect(relayFivexx, `webhook 5xx or no answer: ${JSON.stringify(relay.answers)}`).toBe(0);
      expect(deadlocks, 'no deadlock in either log').toBe(0);
      expectExactlyOnce(comparison, PAYOUTS);
    } finally {
      await stack.close();
      await relay.close();
      dir.remove();
      await db.cleanup();
    }
  });
});
