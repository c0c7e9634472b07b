import {
  applyEvent,
  type DisbursementState,
  type DisbursementStatus,
  describeTransition,
  initialState,
  type LifecycleEvent,
  parseWebhookEvent,
  STATUS_RANK,
  type Transition,
} from '@notifykit/sdk';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { DatabaseSchema, TimelineTable } from '../db/schema.js';
import type { DisbursementRow } from '../http/views.js';
import { lifecycleQueries } from './queries.js';

// Applies lifecycle events (webhooks and our own stage/cancel outcomes) to a stored disbursement inside
// the caller's transaction: reducer state, status columns, timeline rows. Every read-modify-write
// locks the row on PostgreSQL, so several server instances never lose each other's updates.

export interface AppliedTransition extends Transition {
  disbursementId: string;
}

export interface EventToApply {
  event: LifecycleEvent;
  /** The inbox row of a webhook; absent for local events. */
  eventSeq?: number | undefined;
  /** Timeline kind: `event` for webhooks, `staged`/`canceled` for local outcomes. */
  kind: string;
  detail?: Record<string, unknown> | undefined;
}

export function readState(row: Pick<DisbursementRow, 'lifecycle_state'>): DisbursementState {
  const parsed = JSON.parse(row.lifecycle_state) as Partial<DisbursementState>;
  // JSON drops undefined members; the reducer treats missing and undefined alike.
  const initial = initialState();
  return { ...initial, ...parsed, evidence: { ...initial.evidence, ...(parsed.evidence ?? {}) } };
}

/** The furthest progress step a state proves was reached (for the funnel), never lowered. */
function furthestRank(state: DisbursementState, previous: number): number {
  const e = state.evidence;
  let rank = STATUS_RANK[e.progress];
  if (e.latestNotification !== undefined) rank = Math.max(rank, STATUS_RANK.notified);
  if (e.viewed) rank = Math.max(rank, STATUS_RANK.viewed);
  if (e.terminal === 'funded') rank = Math.max(rank, STATUS_RANK.funded);
  if (state.status === 'returned') rank = Math.max(rank, STATUS_RANK.returned);
  return Math.max(rank, previous);
}

export async function lockDisbursement(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  where: { id?: string; notificationId?: string; participantUniqueId1?: string },
): Promise<DisbursementRow | undefined> {
  const q = lifecycleQueries(database);
  let rows: DisbursementRow[];
  if (where.id !== undefined) rows = await q.lockById.execute(trx, { value: where.id });
  else if (where.notificationId !== undefined)
    rows = await q.lockByNotificationId.execute(trx, { value: where.notificationId });
  else if (where.participantUniqueId1 !== undefined)
    rows = await q.lockByParticipantUniqueId1.execute(trx, { value: where.participantUniqueId1 });
  else return undefined;
  return rows[0];
}

export type TimelineInsert = Omit<Insertable<TimelineTable>, 'seq'>;

/**
 * Applies events in order to a row in memory: the updated row, the timeline rows to append and the
 * transitions. Pure, so single-row paths and the batched webhook path share it.
 */
export function reduceRow(
  row: DisbursementRow,
  events: readonly EventToApply[],
  now: number,
): { row: DisbursementRow; timeline: TimelineInsert[]; transitions: AppliedTransition[] } {
  let state = readState(row);
  const transitions: AppliedTransition[] = [];
  const timeline: TimelineInsert[] = [];
  let fundedAt = row.funded_at;
  for (const item of events) {
    const before = state;
    state = applyEvent(state, item.event);
    const transition = describeTransition(before, state, item.event);
    transitions.push({ ...transition, disbursementId: row.id });
    if (fundedAt === null && (state.status === 'funded' || state.status === 'returned')) {
      fundedAt = eventTime(item.event) ?? now;
    }
    timeline.push({
      disbursement_id: row.id,
      at: now,
      kind: item.kind,
      event_seq: item.eventSeq ?? null,
      status_before: transition.from,
      status_after: transition.to,
      detail: JSON.stringify({ outcome: transition.outcome, ...(item.detail ?? {}) }),
    });
  }
  const lastEventAt = state.lastEventAt === undefined ? row.last_event_at : Date.parse(state.lastEventAt);
  return {
    row: {
      ...row,
      status: state.status,
      lifecycle_state: JSON.stringify(state),
      on_hold: state.onHold ? 1 : 0,
      furthest_rank: furthestRank(state, row.furthest_rank),
      funded_at: fundedAt,
      time_to_fund_ms: fundedAt === null ? null : Math.max(0, fundedAt - (row.staged_at ?? row.created_at)),
      last_event_at: lastEventAt,
      updated_at: now,
    },
    timeline,
    transitions,
  };
}

/** Applies events in order to one (locked) disbursement and writes the result once. */
export async function applyEventsToDisbursement(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  row: DisbursementRow,
  events: readonly EventToApply[],
  now: number,
): Promise<{ row: DisbursementRow; transitions: AppliedTransition[] }> {
  const queries = lifecycleQueries(database);
  const reduced = reduceRow(row, events, now);
  for (const entry of reduced.timeline) {
    await queries.insertTimeline.execute(trx, {
      disbursement_id: entry.disbursement_id,
      at: entry.at,
      kind: entry.kind,
      event_seq: entry.event_seq ?? null,
      status_before: entry.status_before ?? null,
      status_after: entry.status_after ?? null,
      detail: entry.detail ?? null,
    });
  }
  const updated = reduced.row;
  await queries.updateLifecycle.execute(trx, {
    id: updated.id,
    notification_id: updated.notification_id,
    status: updated.status,
    lifecycle_state: updated.lifecycle_state,
    on_hold: updated.on_hold,
    furthest_rank: updated.furthest_rank,
    funded_at: updated.funded_at,
    time_to_fund_ms: updated.time_to_fund_ms,
    last_event_at: updated.last_event_at,
    updated_at: updated.updated_at,
  });
  return { row: updated, transitions: reduced.transitions };
}

function eventTime(event: LifecycleEvent): number | undefined {
  if (event.source === 'local') {
    const t = new Date(event.occurredAt).getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  return event.occurredAt?.getTime();
}

/**
 * Attaches parked events that belong to this disbursement (same notification_id, or same
 * participant_unique_id1 without a conflicting notification_id) and applies them in arrival order.
 */
export async function attachOrphans(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  row: DisbursementRow,
  now: number,
): Promise<{ row: DisbursementRow; transitions: AppliedTransition[] }> {
  const orphans = await trx
    .selectFrom('events')
    .select(['seq', 'raw_payload', 'notification_id'])
    .where('disbursement_id', 'is', null)
    .where((eb) => {
      const byPuid = eb.and([
        eb('participant_unique_id1', '=', row.participant_unique_id1),
        row.notification_id === null
          ? eb('notification_id', 'is', null)
          : eb.or([eb('notification_id', 'is', null), eb('notification_id', '=', row.notification_id)]),
      ]);
      return row.notification_id === null ? byPuid : eb.or([eb('notification_id', '=', row.notification_id), byPuid]);
    })
    .orderBy('seq')
    .execute();
  if (orphans.length === 0) return { row, transitions: [] };
  // When the disbursement has no notification_id yet, an orphan naming one that matches by
  // participant_unique_id1 would have been excluded above; the stage response brings the id later.
  const result = await applyEventsToDisbursement(
    trx,
    database,
    row,
    orphans.map((o) => ({
      event: parseWebhookEvent(o.raw_payload),
      eventSeq: o.seq,
      kind: 'event',
      detail: { attached_orphan: true },
    })),
    now,
  );
  await trx
    .updateTable('events')
    .set({ disbursement_id: row.id })
    .where(
      'seq',
      'in',
      orphans.map((o) => o.seq),
    )
    .execute();
  return result;
}

/** A local outcome that the reducer does not model (a permanent stage rejection) forces `failed`. */
export function forceFailed(state: DisbursementState): DisbursementState {
  return { ...state, status: 'failed' as DisbursementStatus, evidence: { ...state.evidence, terminal: 'failed' } };
}

/**
 * Attaches orphans whose disbursement exists by now. An event can be parked while the transaction that
 * creates or stages its disbursement is still uncommitted (PostgreSQL, several connections); this sweep,
 * run by the worker, closes that window.
 */
export async function sweepOrphans(database: Database, now: number, limit = 100): Promise<AppliedTransition[]> {
  const { db } = database;
  // The race this closes lasts as long as a transaction; looking back ten minutes keeps each pass
  // cheap however many truly unknown events have piled up.
  const since = now - 10 * 60_000;
  const byNotification = await db
    .selectFrom('events as e')
    .innerJoin('disbursements as d', 'd.notification_id', 'e.notification_id')
    .select('d.id')
    .where('e.disbursement_id', 'is', null)
    .where('e.received_at', '>', since)
    .limit(limit)
    .execute();
  const byPuid = await db
    .selectFrom('events as e')
    .innerJoin('disbursements as d', 'd.participant_unique_id1', 'e.participant_unique_id1')
    .select('d.id')
    .where('e.disbursement_id', 'is', null)
    .where('e.received_at', '>', since)
    .where((eb) => eb.or([eb('e.notification_id', 'is', null), eb('d.notification_id', 'is', null)]))
    .limit(limit)
    .execute();
  const ids = [...new Set([...byNotification, ...byPuid].map((r) => r.id))];
  const transitions: AppliedTransition[] = [];
  for (const id of ids) {
    const result = await db.transaction().execute(async (trx) => {
      const row = await lockDisbursement(trx, database, { id });
      return row ? attachOrphans(trx, database, row, now) : { transitions: [] };
    });
    transitions.push(...result.transitions);
  }
  return transitions;
}
