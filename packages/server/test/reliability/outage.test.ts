import { afterAll, describe, expect, it } from 'vitest';
import { json } from '../support/json-body.js';
import { requirePostgresUnlessLocal } from '../support/postgres.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from '../support/test-databases.js';
import { tempDir } from '../support/test-server.js';
import { awaitConvergence, expectExactlyOnce } from './support/convergence.js';
import { reportFigures } from './support/figures.js';
import { knob, SEED, sleep } from './support/knobs.js';
import { stagePayouts } from './support/payout-driver.js';
import { type ProcessStack, startProcessStack } from './support/process-stack.js';

// Outage: Ingo (the sandbox) is down while staging continues, then the server is down while webhooks
// keep coming. Both backlogs drain fully (the server's outbox; the sandbox's undelivered webhooks) and
// every payout then equals the sandbox's. The sandbox's clock runs only when the test advances it, so
// webhooks are produced exactly while the server is down.

const PAYOUTS = knob('OUTAGE_PAYOUTS', 60);
const INGO_DOWN_MS = knob('OUTAGE_INGO_DOWN_MS', 60_000);
const SERVER_DOWN_MS = knob('OUTAGE_SERVER_DOWN_MS', 20_000);
const DRAIN_TIMEOUT_MS = knob('DRAIN_TIMEOUT_MS', 240_000);
/** Virtual seconds the sandbox clock moves in bursts while the server is down (a payout takes 6 at most). */
const CLOCK_BURSTS = 8;

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('reliability-outage');
afterAll(() => dir.remove());

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not drained after ${timeoutMs} ms`);
    await sleep(100);
  }
  return Date.now() - started;
}

const outboxDepth = async (stack: ProcessStack) =>
  (
    await json(
      fetch(`${stack.servers[0]!.url}/api/v1/stats`, { headers: { authorization: `Bearer ${stack.apiToken}` } }),
    )
  ).outbox_depth as number;

const pendingDeliveries = async (stack: ProcessStack) =>
  (await stack.control.call<{ deliveries: unknown[] }>('GET', '/_sandbox/deliveries?status=pending&limit=1')).body
    .deliveries.length;

function outageScenario(name: 'SQLite' | 'PostgreSQL', database: TestDatabaseFactory) {
  describe(`outage on ${name}`, () => {
    it(`Ingo down ${INGO_DOWN_MS / 1000} s while ${PAYOUTS} payouts are staged, then the server down ${SERVER_DOWN_MS / 1000} s while webhooks come: both drain`, async () => {
      const db = await database();
      const stackDir = tempDir(`outage-${name}`);
      const stack = await startProcessStack({
        dir: stackDir.path,
        databaseUrls: [db.url],
        sandboxArgs: ['--speed', '0'],
      });
      const [server] = stack.servers;
      try {
        const keys = Array.from({ length: PAYOUTS }, (_, i) => `outage-${name}-${SEED}-${i}`);

        // 1. Ingo down; payouts keep coming for the whole outage (paced across it), answered 202.
        await stack.killSandbox();
        const ingoDownAt = Date.now();
        const staging = await stagePayouts({
          baseUrl: () => server!.url,
          apiToken: stack.apiToken,
          keys,
          // Four at a time: a stage call with Ingo down takes a while (the SDK's retries), so one at a
          // time would stretch the outage far past INGO_DOWN_MS.
          concurrency: 4,
          paceMs: Math.floor((4 * INGO_DOWN_MS) / PAYOUTS),
        });
        const backlog = await outboxDepth(stack);
        await sleep(Math.max(0, INGO_DOWN_MS - (Date.now() - ingoDownAt)));
        const ingoDownMs = Date.now() - ingoDownAt;
        await stack.startSandbox();
        const ingoDrainMs = await until(async () => (await outboxDepth(stack)) === 0, DRAIN_TIMEOUT_MS);

        // 2. The server down while the recipients act (the clock moves in bursts): webhooks pile up.
        await server!.kill();
        const serverDownAt = Date.now();
        for (let burst = 0; burst < CLOCK_BURSTS; burst++) {
          await stack.control.advanceClock(1);
          await sleep(SERVER_DOWN_MS / CLOCK_BURSTS);
        }
        const piledUp = (
          await stack.control.call<{ deliveries: unknown[] }>('GET', '/_sandbox/deliveries?status=pending&limit=5000')
        ).body.deliveries.length;
        const serverDownMs = Date.now() - serverDownAt;
        await server!.start();
        const serverDrainMs = await until(async () => (await pendingDeliveries(stack)) === 0, DRAIN_TIMEOUT_MS);

        const { comparison, convergeMs } = await awaitConvergence(stack, db.url, keys, 60_000);
        reportFigures(`outage/${name}`, {
          sent: staging.sent,
          acknowledged: staging.acknowledged,
          applied: comparison.applied,
          emitted: comparison.emitted,
          lost: comparison.lost,
          stagedTwice: comparison.stagedTwice,
          appliedTwice: comparison.appliedTwice,
          ingoDownMs,
          outboxBacklog: backlog,
          ingoDrainMs,
          serverDownMs,
          webhooksPiledUp: piledUp,
          serverDrainMs,
          convergeMs,
        });
        expect(staging.acknowledged).toBe(PAYOUTS);
        expect(backlog, 'staging went on while Ingo was down').toBe(PAYOUTS);
        expect(piledUp, 'webhooks came while the server was down').toBeGreaterThan(0);
        expectExactlyOnce(comparison, PAYOUTS);
      } finally {
        await stack.close();
        stackDir.remove();
        await db.cleanup();
      }
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'outage.db' }, 'rel_outage', outageScenario);
