// Managed Parties (v4) end to end: payouts with approvers staged through the REST API into the real
// sandbox, its webhooks back into the server, on SQLite and PostgreSQL. The approval gate, the
// recipient completing first, a decline, a cancel before claim, and chaotic deliveries converging.

import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { eventually, type LocalStack, settled, startLocalStack } from './support/local-stack.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { MANAGED_SECRET_ANSWER, managedBody } from './support/stage-body.js';
import {
  describeOnEachDatabase,
  postgresDatabase,
  sqliteDatabase,
  type TestDatabaseFactory,
} from './support/test-databases.js';
import { tempDir } from './support/test-server.js';

const postgres = await requirePostgresUnlessLocal();

interface Entry {
  kind: string;
  status_before: string | null;
  status_after: string | null;
  party_id: string | null;
  party_role: string | null;
  event: { topic: string; classification: string } | null;
}

const unique = () => Math.random().toString(36).slice(2, 8);

async function create(stack: LocalStack, body: unknown) {
  const response = await stack.server.api('/api/v1/disbursements', { method: 'POST', json: body });
  const created = await json(response);
  expect(response.status, JSON.stringify(created)).toBe(201);
  expect(created.kind).toBe('managed');
  return created;
}

// biome-ignore lint/suspicious/noExplicitAny: API JSON read in assertions
type Json = Record<string, any>;
interface Settled {
  detail: Json;
  /** The sandbox's view: its events in the order it emitted them (deliveries may arrive in another). */
  sandbox: Json | undefined;
}

const topicIndex = (timeline: Entry[], suffix: string) => timeline.findIndex((t) => t.event?.topic.endsWith(suffix));
const emittedIndex = (sandbox: Json | undefined, suffix: string) =>
  ((sandbox?.events ?? []) as { topic: string }[]).findIndex((e) => e.topic.endsWith(suffix));

/** 1 recipient + 2 approvers, approvers first: funded only after approvals.complete. */
async function allApprove(stack: LocalStack): Promise<Settled> {
  const created = await create(stack, managedBody({ email: `jane.${unique()}@example.com` }));
  return settled(stack, created.id, 'funded');
}

function verifyAllApprove({ detail, sandbox }: Settled) {
  const timeline = detail.timeline as Entry[];
  // The sandbox pays only after the gate; whatever order the webhooks arrived in, nothing but
  // approvals.complete made the payout approved, and only payment success funded it.
  expect(emittedIndex(sandbox, 'approvals.complete')).toBeGreaterThan(-1);
  expect(emittedIndex(sandbox, 'payment.status.success')).toBeGreaterThan(emittedIndex(sandbox, 'approvals.complete'));
  // Approved needs both the gate (approvals.complete) and the recipient's claim (tokenization), in any order.
  timeline.forEach((t, i) => {
    if (t.status_after === 'approved' && t.status_before !== 'approved') {
      const before = timeline.slice(0, i + 1).map((e) => e.event?.topic ?? '');
      expect(before.some((topic) => topic.endsWith('approvals.complete'))).toBe(true);
      expect(before.some((topic) => topic.endsWith('tokenization.success'))).toBe(true);
    }
  });
  expect(detail.status).toBe('funded');
  expect(detail.approvals).toMatchObject({ required: 2, approved: 2, declined: 0, complete: true });
  expect(detail.approvals.decisions).toHaveLength(2);
  expect(detail.parties.map((p: Json) => [p.client_provided_id, p.role, p.decision])).toEqual([
    ['recipient', 'recipient', null],
    ['approver-1', 'approver', 'approved'],
    ['approver-2', 'approver', 'approved'],
  ]);
  for (const p of detail.parties) {
    expect(p.party_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(p).toMatchObject({ notified: true, authenticated: true });
  }
  // The timeline names the party of each party event.
  const decisions = timeline.filter((t) => t.event?.topic.endsWith('approvals.decision.approved'));
  expect(decisions.map((t) => t.party_role)).toEqual(['approver', 'approver']);
  expect(new Set(decisions.map((t) => t.party_id))).toEqual(
    new Set(detail.parties.filter((p: Json) => p.role === 'approver').map((p: Json) => p.party_id)),
  );
  const partyEvents = timeline.filter((t) => t.event?.topic.startsWith('transaction.party.'));
  expect(partyEvents.length).toBeGreaterThanOrEqual(6);
  for (const t of partyEvents) expect(t.party_role).not.toBeNull();
  expect(JSON.stringify(detail)).not.toContain(MANAGED_SECRET_ANSWER);
  expect(detail.hold).toEqual({ active: false, reasons: [] });
}

async function declined(stack: LocalStack): Promise<Settled> {
  const created = await create(stack, managedBody({ email: `jane+decline.${unique()}@example.com` }));
  return settled(stack, created.id, 'failed');
}

function verifyDeclined({ detail }: Settled) {
  expect(detail.status).toBe('failed');
  expect(detail.attention.map((a: { code: string }) => a.code)).toEqual(['approver_declined']);
  expect(detail.approvals).toMatchObject({ required: 2, approved: 0, declined: 1 });
  expect(detail.parties[1]).toMatchObject({ role: 'approver', decision: 'declined' });
  expect(Date.parse(detail.parties[1].decided_at)).not.toBeNaN();
  const timeline = detail.timeline as Entry[];
  expect(topicIndex(timeline, 'approvals.complete')).toBe(-1);
  expect(timeline[topicIndex(timeline, 'payment.status.terminated')]!.status_after).toBe('failed');
}

async function slowApprove(stack: LocalStack): Promise<Settled> {
  const created = await create(stack, managedBody({ email: `jane+slowapprove.${unique()}@example.com` }));
  return settled(stack, created.id, 'funded');
}

function verifySlowApprove({ detail, sandbox }: Settled) {
  const timeline = detail.timeline as Entry[];
  expect(topicIndex(timeline, 'approvals.pmt-suspended')).toBeGreaterThan(-1);
  const suspended = emittedIndex(sandbox, 'approvals.pmt-suspended');
  expect(suspended).toBeGreaterThan(emittedIndex(sandbox, 'tokenization.success'));
  expect(emittedIndex(sandbox, 'approvals.complete')).toBeGreaterThan(suspended);
  expect(detail.status).toBe('funded');
  expect(detail.hold).toEqual({ active: false, reasons: [] });
  expect(detail.approvals).toMatchObject({ approved: 2, complete: true });
}

function stackSuite(name: string, database: TestDatabaseFactory) {
  describe(`Managed Parties end to end against the sandbox on ${name}`, () => {
    let stack: LocalStack;
    let cleanup: () => Promise<void>;
    let databaseUrl: string;
    beforeAll(async () => {
      const db = await database();
      cleanup = db.cleanup;
      databaseUrl = db.url;
      stack = await startLocalStack({ databaseUrl: db.url });
    });
    afterAll(async () => {
      await stack?.close();
      await cleanup?.();
    });

    it('1 recipient + 2 approvers all approve: funded only after approvals.complete; parties and approvals shown', async () => {
      const result = await allApprove(stack);
      verifyAllApprove(result);
      // The parties' sensitive values are stored encrypted: neither the answer nor an approver's email is
      // anywhere in the SQLite files in clear.
      if (databaseUrl.startsWith('sqlite:')) {
        const file = databaseUrl.slice('sqlite:'.length);
        const bytes = [file, `${file}-wal`]
          .filter((f) => existsSync(f))
          .map((f) => readFileSync(f).toString('latin1'))
          .join('');
        expect(bytes).toContain(result.detail.id);
        expect(bytes).not.toContain(MANAGED_SECRET_ANSWER);
        expect(bytes).not.toContain('approver1@example.com');
      }
    });

    it('the recipient completes first: pmt-suspended holds the payout (hold=approvals lists it), the gate releases it', async () => {
      // +idle: nobody acts by themselves; the control API plays the recipient and the approvers.
      const created = await create(stack, managedBody({ email: `jane+idle.${unique()}@example.com` }));
      const at = created.notification_id as string;
      for (const action of ['open', 'authenticate']) await stack.control.act(at, action);
      await stack.control.act(at, 'choose_payment', { account_type: 'AC' });
      const held = await eventually(
        () => json(stack.server.api(`/api/v1/disbursements/${created.id}`)),
        (d) => d.hold.active === true && d.status === 'claimed',
      );
      expect(held).toMatchObject({ status: 'claimed', on_hold: true, hold: { active: true, reasons: ['approvals'] } });
      expect(held.approvals).toMatchObject({ required: 2, approved: 0, complete: false });
      const listed = await json(stack.server.api('/api/v1/disbursements?hold=approvals&limit=200'));
      expect(listed.data.map((d: { id: string }) => d.id)).toContain(created.id);
      const bad = await stack.server.api('/api/v1/disbursements?hold=forever');
      expect(bad.status).toBe(400);

      const approvers = held.parties.filter((p: Json) => p.role === 'approver');
      for (const approver of approvers) {
        for (const action of ['open', 'authenticate', 'approve']) {
          await stack.control.act(at, action, { party_id: approver.party_id });
        }
      }
      const released = await eventually(
        () => json(stack.server.api(`/api/v1/disbursements/${created.id}`)),
        (d) => d.status === 'approved',
      );
      expect(released).toMatchObject({ status: 'approved', hold: { active: false, reasons: [] } });
      const after = await json(stack.server.api('/api/v1/disbursements?hold=approvals&limit=200'));
      expect(after.data.map((d: { id: string }) => d.id)).not.toContain(created.id);
      await stack.control.act(at, 'fund');
      verifySlowApprove(await settled(stack, created.id, 'funded'));
    });

    it('+slowapprove drives the same by itself', async () => {
      verifySlowApprove(await slowApprove(stack));
    });

    it('one approver declines: terminated → failed, the decline shown', async () => {
      verifyDeclined(await declined(stack));
    });

    it('cancel before claim: canceled through notifycancel', async () => {
      const created = await create(stack, managedBody({ email: `jane+idle.${unique()}@example.com` }));
      const canceled = await stack.server.api(`/api/v1/disbursements/${created.id}/cancel`, { method: 'POST' });
      const body = await json(canceled);
      expect(canceled.status, JSON.stringify(body)).toBe(200);
      expect(body.status).toBe('canceled');
      const { detail, sandbox } = await settled(stack, created.id, 'canceled');
      expect(sandbox?.status).toBe('canceled');
      expect(detail.cancel).toMatchObject({ outcome: 'accepted' });
    });

    it('refuses a bad Managed payout with 422 naming the REST field, creating nothing', async () => {
      const before = await json(stack.server.api('/api/v1/disbursements?limit=200'));
      const twoRecipients = managedBody();
      twoRecipients.parties[1]!.role = 'recipient';
      const noName = managedBody();
      noName.parties[2]!.first_name = '';
      const badRole = managedBody() as { parties: { role: string }[] };
      badRole.parties[0]!.role = 'boss';
      for (const [body, path] of [
        [twoRecipients, 'parties'],
        [noName, 'parties.2.first_name'],
        [badRole, 'parties.0.role'],
        [{ ...managedBody(), amount: '1.001' }, 'amount'],
      ] as const) {
        const response = await stack.server.api('/api/v1/disbursements', { method: 'POST', json: body });
        const answer = await json(response);
        expect(response.status, JSON.stringify(answer)).toBe(422);
        expect(answer.error.details.issues.map((i: { path: string }) => i.path)).toContain(path);
        expect(JSON.stringify(answer)).not.toContain(MANAGED_SECRET_ANSWER);
      }
      // Nothing the server logged, for any of these payouts, carries a party's authentication answer.
      expect(stack.server.logs.join('\n')).not.toContain(MANAGED_SECRET_ANSWER);
      const after = await json(stack.server.api('/api/v1/disbursements?limit=200'));
      expect(after.data.length).toBe(before.data.length);
    });
  });
}

const dir = tempDir('managed-e2e');
afterAll(() => dir.remove());
describeOnEachDatabase(postgres, { dir: dir.path, file: 'managed.db' }, 'managed', stackSuite);

describe('Managed Parties: duplicated and reordered deliveries converge', () => {
  for (const [name, database] of [
    ['SQLite', sqliteDatabase(dir.path, 'managed-chaos.db')],
    ...(postgres.available ? [['PostgreSQL', postgresDatabase('managed_chaos')] as const] : []),
  ] as const) {
    it(`on ${name}: --duplicate-rate 0.5 --reorder 300ms reach the same final states and facts`, async () => {
      const db = await database();
      const stack = await startLocalStack({
        databaseUrl: db.url,
        sandbox: { duplicateRate: 0.5, reorderWindowMs: 300 },
      });
      try {
        const [approved, slow, decline] = await Promise.all([allApprove(stack), slowApprove(stack), declined(stack)]);
        verifyAllApprove(approved);
        verifySlowApprove(slow);
        verifyDeclined(decline);
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
