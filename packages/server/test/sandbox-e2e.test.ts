import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { eventually, type LocalStack, settled, startLocalStack } from './support/local-stack.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import {
  describeOnEachDatabase,
  postgresDatabase,
  sqliteDatabase,
  type TestDatabaseFactory,
} from './support/test-databases.js';
import { tempDir } from './support/test-server.js';

const postgres = await requirePostgresUnlessLocal();

interface Scenario {
  tag: string;
  final: string;
  /** What the received events pointed at (classifications), in any order: deliveries are concurrent. */
  reached: string[];
  /** What the detail must show of the lifecycle's facts (payment method, authentication…). */
  facts?: Record<string, unknown>;
  /** A control action that completes the scenario once `after` is reached (what Ingo's pages would do). */
  followUp?: { after: string; action: string };
  /** The attention codes the payout ends with (none by default). */
  attention?: string[];
}

// Every v3 scenario of the sandbox README (decline and slowapprove need v4 approvers).
const SCENARIOS: Scenario[] = [
  {
    tag: '',
    final: 'funded',
    reached: ['notified', 'viewed', 'authenticated', 'claimed', 'funded'],
    facts: {
      payment_method: { account_type: 'CA', account_id_last4: expect.stringMatching(/^\d{4}$/) },
      authentication: { passed: true },
    },
  },
  { tag: '+bounce', final: 'expired', reached: ['notified', 'bounced', 'expired'] },
  {
    tag: '+authfail',
    final: 'failed',
    reached: ['notified', 'viewed', 'failed'],
    facts: { authentication: { attempts: 3, passed: false }, payment_method: null },
    // Exhausted authentication is an attention flag; Ingo's termination is what fails the payout.
    attention: ['authentication_exhausted'],
  },
  { tag: '+ofac', final: 'failed', reached: ['authenticated', 'side_facts', 'failed'] },
  {
    tag: '+check',
    final: 'funded',
    reached: ['authenticated', 'approved', 'funded'],
    facts: { payment_method: { account_type: 'CK', account_id_last4: null } },
  },
  {
    tag: '+paypal',
    final: 'funded',
    reached: ['claimed', 'funded'],
    facts: { payment_method: { account_type: 'PD' }, authentication: { passed: true } },
  },
  { tag: '+idle', final: 'expired', reached: ['notified', 'expired'] },
  {
    tag: '+return',
    final: 'returned',
    reached: ['claimed', 'funded', 'returned'],
    followUp: { after: 'funded', action: 'return' },
  },
];

async function runScenarios(stack: LocalStack) {
  return Promise.all(
    SCENARIOS.map(async (scenario) => {
      const email = `pat${scenario.tag}.${Math.random().toString(36).slice(2, 8)}@example.com`;
      const response = await stack.server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ email }) });
      const created = await json(response);
      expect(response.status, JSON.stringify(created)).toBe(201);
      expect(created.status).not.toBe('pending');
      expect(created.notification_id).toMatch(/^\d+$/);
      if (scenario.followUp) {
        // Completes the scenario by hand if the sandbox's script stops at `after`.
        const { after, action } = scenario.followUp;
        await eventually(
          () => json(stack.server.api(`/api/v1/disbursements/${created.id}`)),
          (d) => d.status === after || d.status === scenario.final,
        );
        const atIngo = await stack.control.notification(created.notification_id);
        if (atIngo.status === after) await stack.control.act(created.notification_id, action).catch(() => {});
      }
      const { detail, sandbox } = await settled(stack, created.id, scenario.final);
      return { scenario, detail, sandbox };
    }),
  );
}

function verify(results: Awaited<ReturnType<typeof runScenarios>>) {
  for (const { scenario, detail, sandbox } of results) {
    const label = `scenario ${scenario.tag || 'happy'}`;
    expect(detail.status, label).toBe(scenario.final);
    // The sandbox's own view of the disbursement agrees with the status we derived from its webhooks.
    expect(sandbox?.status, label).toBe(detail.status);
    const classifications = detail.timeline
      .filter((t: { event: unknown }) => t.event !== null)
      .map((t: { event: { classification: string } }) => t.event.classification);
    expect(classifications, label).toEqual(expect.arrayContaining(scenario.reached));
    expect(detail.timeline[0].kind).toBe('created');
    expect(detail.timeline.filter((t: { kind: string }) => t.kind === 'staged')).toHaveLength(1);
    const events = detail.timeline.filter((t: { kind: string }) => t.kind === 'event');
    expect(events.length, label).toBeGreaterThan(0);
    // One timeline entry per distinct event; redeliveries only raise the duplicate count.
    const ids = events.map((t: { event: { metadata_id: string } }) => t.event.metadata_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of events) expect(t.event.payload.metadata.id).toBe(t.event.metadata_id);
    if (scenario.facts) expect(detail, label).toMatchObject(scenario.facts);
    expect(detail.on_hold).toBe(false);
    expect(detail.hold, label).toEqual({ active: false, reasons: [] });
    expect(
      detail.attention.map((a: { code: string }) => a.code),
      label,
    ).toEqual(scenario.attention ?? []);
    expect(detail.cancel, label).toMatchObject({ allowed: false, requested_at: null, outcome: null });
  }
}

function stackSuite(name: string, database: TestDatabaseFactory) {
  describe(`end to end against the sandbox on ${name}`, () => {
    let stack: LocalStack;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const db = await database();
      cleanup = db.cleanup;
      stack = await startLocalStack({ databaseUrl: db.url });
    });
    afterAll(async () => {
      await stack?.close();
      await cleanup?.();
    });

    it('every v3 scenario: staged through the API, webhooks in, expected final status and timeline', async () => {
      verify(await runScenarios(stack));
      const stats = await json(stack.server.api('/api/v1/stats'));
      expect(stats.by_status.funded.count).toBeGreaterThanOrEqual(3);
      expect(stats.median_time_to_fund_ms).not.toBeNull();
      expect(stats.outbox_depth).toBe(0);
    });

    it('cancel: accepted while unclaimed (then canceled), refused locally once claimed', async () => {
      const idle = await json(
        stack.server.api('/api/v1/disbursements', {
          method: 'POST',
          json: stageBody({ email: `c+idle.${Date.now()}@example.com` }),
        }),
      );
      const canceled = await stack.server.api(`/api/v1/disbursements/${idle.id}/cancel`, { method: 'POST' });
      const body = await json(canceled);
      expect(canceled.status, JSON.stringify(body)).toBe(200);
      expect(body.status).toBe('canceled');
      const { detail } = await settled(stack, idle.id, 'canceled');
      expect(detail.timeline.map((t: { kind: string }) => t.kind)).toContain('canceled');
      expect(detail.cancel).toMatchObject({ allowed: false, outcome: 'accepted' });
      expect(Date.parse(detail.cancel.requested_at)).not.toBeNaN();
      // A second cancel is idempotent: 200 with the canceled payout, as Ingo answers 101.
      const again = await stack.server.api(`/api/v1/disbursements/${idle.id}/cancel`, { method: 'POST' });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(again)).status).toBe('canceled');

      const paid = await json(
        stack.server.api('/api/v1/disbursements', {
          method: 'POST',
          json: stageBody({ email: `c+paypal.${Date.now()}@example.com` }),
        }),
      );
      await eventually(
        () => json(stack.server.api(`/api/v1/disbursements/${paid.id}`)),
        (d) => ['claimed', 'funded'].includes(d.status),
      );
      const refused = await stack.server.api(`/api/v1/disbursements/${paid.id}/cancel`, { method: 'POST' });
      expect(refused.status).toBe(409);
      expect((await json(refused)).error.message).toMatch(/claimed|funded/);
    });
  });
}

const dir = tempDir('e2e');
afterAll(() => dir.remove());
describeOnEachDatabase(postgres, { dir: dir.path, file: 'e2e.db' }, 'e2e', stackSuite);

describe('duplicated and reordered deliveries converge', () => {
  for (const [name, database] of [
    ['SQLite', sqliteDatabase(dir.path, 'chaos.db')],
    ...(postgres.available ? [['PostgreSQL', postgresDatabase('chaos')] as const] : []),
  ] as const) {
    it(`on ${name}: --duplicate-rate 0.5 --reorder 300ms reach the same final states`, async () => {
      const db = await database();
      const stack = await startLocalStack({
        databaseUrl: db.url,
        sandbox: { duplicateRate: 0.5, reorderWindowMs: 300 },
      });
      try {
        const results = await runScenarios(stack);
        verify(results);
        const events = await json(stack.server.api('/api/v1/events?limit=200'));
        const duplicates = events.data.reduce((n: number, e: { duplicate_count: number }) => n + e.duplicate_count, 0);
        expect(duplicates).toBeGreaterThan(0);
      } finally {
        await stack.close();
        await db.cleanup();
      }
    });
  }
});
