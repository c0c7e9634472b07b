import type { SandboxControlClient } from '@notifykit/sandbox';
import { openDatabase } from '../../../src/db/connection.js';

/** One payout as the sandbox (standing in for Ingo) knows it: the ground truth. */
interface SandboxNotification {
  notification_id: number;
  participant_unique_id1: string;
  status: string;
  events: { id: string }[];
}

export interface Comparison {
  /** Payouts the server and the sandbox agree on completely (status and event set). */
  matching: number;
  /** Events the server applied (attached to a payout, a timeline entry each). */
  applied: number;
  /** Events the sandbox emitted that the server does not have on that payout, plus payouts missing on either side. */
  lost: number;
  /** Payouts with more than one notification at the sandbox or more than one `staged` timeline entry. */
  stagedTwice: number;
  /** Events with more than one timeline entry, or on the server but never emitted for that payout. */
  appliedTwice: number;
  /** Payouts whose status differs from the sandbox's. */
  statusMismatch: number;
  /** Sandbox events emitted in all. */
  emitted: number;
  /** The first few differences, for the failure message. */
  examples: string[];
}

async function sandboxTruth(
  control: SandboxControlClient,
  keys: string[],
): Promise<Map<string, SandboxNotification[]>> {
  const truth = new Map<string, SandboxNotification[]>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        const { httpStatus, body } = await control.call<{ notifications: SandboxNotification[] }>(
          'GET',
          `/_sandbox/notifications?participant_unique_id1=${encodeURIComponent(key)}`,
        );
        if (httpStatus !== 200) throw new Error(`sandbox control answered ${httpStatus}`);
        truth.set(key, body.notifications);
      }
    }),
  );
  return truth;
}

/**
 * Compares every payout in the server's database (read directly, not through its API, so the numbers
 * are the stored truth) with the sandbox's record of it.
 */
export async function compareWithSandbox(
  databaseUrl: string,
  control: SandboxControlClient,
  keys: string[],
): Promise<Comparison> {
  const truth = await sandboxTruth(control, keys);
  const database = openDatabase(databaseUrl, { poolSize: 2 });
  try {
    const { db } = database;
    const disbursements = await db
      .selectFrom('disbursements')
      .select(['id', 'participant_unique_id1', 'status', 'notification_id'])
      .execute();
    const events = await db
      .selectFrom('events')
      .select(['seq', 'metadata_id', 'disbursement_id'])
      .where('disbursement_id', 'is not', null)
      .execute();
    const timeline = await db.selectFrom('timeline').select(['disbursement_id', 'kind', 'event_seq']).execute();

    const byKey = new Map(disbursements.map((d) => [d.participant_unique_id1, d]));
    const eventsOf = new Map<string, Set<string>>();
    const eventBySeq = new Map<number, string>();
    for (const e of events) {
      eventBySeq.set(Number(e.seq), e.metadata_id);
      const set = eventsOf.get(e.disbursement_id!) ?? new Set<string>();
      set.add(e.metadata_id);
      eventsOf.set(e.disbursement_id!, set);
    }
    const stagedEntries = new Map<string, number>();
    const entriesPerEvent = new Map<string, number>();
    for (const t of timeline) {
      if (t.kind === 'staged') stagedEntries.set(t.disbursement_id, (stagedEntries.get(t.disbursement_id) ?? 0) + 1);
      if (t.event_seq !== null) {
        const id = eventBySeq.get(Number(t.event_seq)) ?? `seq:${t.event_seq}`;
        entriesPerEvent.set(id, (entriesPerEvent.get(id) ?? 0) + 1);
      }
    }

    const c: Comparison = {
      matching: 0,
      applied: 0,
      lost: 0,
      stagedTwice: 0,
      appliedTwice: 0,
      statusMismatch: 0,
      emitted: 0,
      examples: [],
    };
    const note = (text: string) => {
      if (c.examples.length < 10) c.examples.push(text);
    };
    for (const key of keys) {
      const atIngo = truth.get(key) ?? [];
      const ours = byKey.get(key);
      const emitted = atIngo.flatMap((n) => n.events.map((e) => e.id));
      c.emitted += emitted.length;
      if (atIngo.length > 1) {
        c.stagedTwice += 1;
        note(`${key}: ${atIngo.length} notifications at the sandbox`);
      }
      if (ours === undefined || atIngo.length === 0) {
        c.lost += 1 + emitted.length;
        note(`${key}: ${ours === undefined ? 'not in the server' : 'never staged at the sandbox'}`);
        continue;
      }
      if ((stagedEntries.get(ours.id) ?? 0) > 1) {
        c.stagedTwice += 1;
        note(`${key}: ${stagedEntries.get(ours.id)} staged timeline entries`);
      }
      const applied = eventsOf.get(ours.id) ?? new Set<string>();
      c.applied += applied.size;
      const missing = emitted.filter((id) => !applied.has(id));
      const extra = [...applied].filter((id) => !emitted.includes(id));
      const twice = [...applied].filter((id) => (entriesPerEvent.get(id) ?? 0) > 1);
      c.lost += missing.length;
      c.appliedTwice += extra.length + twice.length;
      const sameStatus = ours.status === atIngo[0]!.status;
      if (!sameStatus) c.statusMismatch += 1;
      if (missing.length + extra.length + twice.length > 0 || !sameStatus) {
        note(
          `${key}: status ${ours.status} vs ${atIngo[0]!.status}, missing ${missing.length}, extra ${extra.length}, twice ${twice.length}`,
        );
      } else c.matching += 1;
    }
    return c;
  } finally {
    await database.close();
  }
}

/** Every payout agrees with the sandbox: nothing lost, nothing twice. */
export function converged(c: Comparison, payouts: number): boolean {
  return c.matching === payouts && c.lost === 0 && c.stagedTwice === 0 && c.appliedTwice === 0;
}
