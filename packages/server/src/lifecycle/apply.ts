import {
  applyEvent,
  type DisbursementState,
  describeTransition,
  type LifecycleEvent,
  restoreState,
  STATUS_RANK,
} from '@notifykit/sdk';
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { DatabaseSchema, DisbursementRow, TimelineTable } from '../db/schema.js';
import { lifecycleContextOf } from './managed-parties.js';
import { lifecycleQueries } from './queries.js';
import type { AppliedTransition } from './transitions.js';

// Applies lifecycle events (webhooks and our own stage/cancel outcomes) to a stored disbursement inside
// the caller's transaction: reducer state, status columns, timeline rows. Every read-modify-write
// locks the row on PostgreSQL, so several server instances never lose each other's updates.

export interface EventToApply {
  event: LifecycleEvent;
  /** The inbox row of a webhook; absent for local events. */
  eventSeq?: number | undefined;
  /** Timeline kind: `event` for webhooks, `staged`/`canceled` for local outcomes. */
  kind: string;
  detail?: Record<string, unknown> | undefined;
}

/**
 * The stored reducer state, of this version or an earlier one (the SDK's tolerant reader: states stored
 * before attention flags and timed terminal outcomes load as they are, nothing re-derived).
 */
export function readState(row: Pick<DisbursementRow, 'lifecycle_state'>): DisbursementState {
  return restoreState(row.lifecycle_state);
}

/** The furthest progress step a state proves was reached (for the funnel), never lowered. */
function furthestRank(state: DisbursementState, previous: number): number {
  const e = state.evidence;
  let rank = STATUS_RANK[e.progress];
  if (e.latestNotification !== undefined) rank = Math.max(rank, STATUS_RANK.notified);
  if (e.viewed) rank = Math.max(rank, STATUS_RANK.viewed);
  if (e.terminal?.status === 'funded') rank = Math.max(rank, STATUS_RANK.funded);
  if (state.status === 'returned') rank = Math.max(rank, STATUS_RANK.returned);
  return Math.max(rank, previous);
}

/** Reads a disbursement inside the caller's transaction, locking its row on PostgreSQL. */
export async function lockDisbursement(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  id: string,
): Promise<DisbursementRow | undefined> {
  const [row] = await lifecycleQueries(database).lockById.execute(trx, { value: id });
  return row;
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
  // Managed Parties: the parties' ids and roles decide which events move the payout (the approval gate too).
  const context = lifecycleContextOf(row);
  const transitions: AppliedTransition[] = [];
  const timeline: TimelineInsert[] = [];
  let fundedAt = row.funded_at;
  for (const item of events) {
    const before = state;
    state = applyEvent(state, item.event, context);
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
      detail: JSON.stringify({
        outcome: transition.outcome,
        // Ingo reported two different terminal outcomes: the later event time decided the status.
        ...(transition.contradiction === undefined
          ? {}
          : { contradiction: { outcomes: transition.contradiction.outcomes, status: state.status } }),
        ...(item.detail ?? {}),
      }),
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
 * A local outcome that the reducer does not model (a permanent stage rejection) forces `failed`, as a
 * terminal outcome at `atMs` like any other (no webhook can follow: Ingo never staged it).
 */
export function forceFailed(state: DisbursementState, atMs: number): DisbursementState {
  const outcomes = state.evidence.terminalOutcomes.includes('failed')
    ? state.evidence.terminalOutcomes
    : [...state.evidence.terminalOutcomes, 'failed' as const].sort();
  return {
    ...state,
    status: 'failed',
    evidence: {
      ...state.evidence,
      terminal: { status: 'failed', stamp: { atMs, tie: 0, id: 'local:stage-rejected' } },
      terminalOutcomes: outcomes,
    },
  };
}
