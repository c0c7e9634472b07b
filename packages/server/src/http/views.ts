import { type DisbursementStatus, formatCents } from '@notifykit/sdk';
import type { DisbursementRow, EventRow } from '../db/schema.js';
import { readState } from '../lifecycle/apply.js';
import { cancelRefusal } from '../lifecycle/cancel-policy.js';
import { approvalsView, isManaged, partiesView, partyOfEvent } from '../lifecycle/managed-parties.js';
import {
  attentionOf,
  authenticationOf,
  holdOf,
  lastCancelRequest,
  type OutboxState,
  paymentMethodOf,
} from '../lifecycle/public-facts.js';
import type { DisbursementDetailResponse, DisbursementResponse } from './response-schemas.js';

// How rows become API objects (typed by response-schemas.ts): times as ISO strings, amounts as exact
// decimal strings plus cents, the reducer's state as the facts it means.

export type { OutboxState } from '../lifecycle/public-facts.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function disbursementView(row: DisbursementRow, outbox: OutboxState | undefined): DisbursementResponse {
  const state = readState(row);
  const hold = holdOf(state);
  return {
    id: row.id,
    kind: isManaged(row) ? 'managed' : 'classic',
    status: row.status as DisbursementStatus,
    participant_id: row.participant_id,
    participant_unique_id1: row.participant_unique_id1,
    participant_unique_id2: row.participant_unique_id2,
    tracer_id: row.tracer_id,
    notification_id: row.notification_id,
    amount: formatCents(row.amount_cents),
    amount_cents: row.amount_cents,
    currency: 'USD',
    recipient_name: row.recipient_name,
    on_hold: hold.active,
    hold,
    attention: attentionOf(row, state, outbox).map((flag) => ({ ...flag, at: iso(flag.at) })),
    ingo_status: row.ingo_status,
    failure: row.failure_code === null ? null : { code: row.failure_code, message: row.failure_message ?? '' },
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
    staged_at: iso(row.staged_at),
    funded_at: iso(row.funded_at),
    last_event_at: iso(row.last_event_at),
  };
}

export function eventView(row: EventRow) {
  let payload: unknown;
  try {
    payload = JSON.parse(row.raw_payload);
  } catch {
    payload = row.raw_payload;
  }
  return {
    seq: row.seq,
    metadata_id: row.metadata_id,
    topic: row.topic,
    classification: row.classification,
    notification_id: row.notification_id,
    participant_unique_id1: row.participant_unique_id1,
    disbursement_id: row.disbursement_id,
    occurred_at: iso(row.event_timestamp),
    received_at: iso(row.received_at)!,
    duplicate_count: row.duplicate_count,
    last_duplicate_at: iso(row.last_duplicate_at),
    payload,
  };
}

interface TimelineRow {
  seq: number;
  at: number;
  kind: string;
  status_before: string | null;
  status_after: string | null;
  detail: string | null;
  event: EventRow | null;
}

/** The Managed party a webhook names (`data.ancillary.party_id`), if any. */
function partyIdOf(payload: unknown): string | null {
  const ancillary = (payload as { data?: { ancillary?: { party_id?: unknown } } } | null)?.data?.ancillary;
  const id = ancillary?.party_id;
  return (typeof id === 'string' && id !== '') || typeof id === 'number' ? String(id) : null;
}

function timelineEntryView(row: DisbursementRow, t: TimelineRow): DisbursementDetailResponse['timeline'][number] {
  const event = t.event === null ? null : eventView(t.event);
  // The party each party event is about, by party_id (a recipient's party event may carry "").
  const party =
    event === null ? { party_id: null, party_role: null } : partyOfEvent(row, event.topic, partyIdOf(event.payload));
  return {
    seq: t.seq,
    at: iso(t.at)!,
    kind: t.kind,
    status_before: t.status_before,
    status_after: t.status_after,
    detail: t.detail === null ? null : (JSON.parse(t.detail) as unknown),
    ...party,
    event,
  };
}

/** The detail: the disbursement, what its state means, its stored request (redacted) and its timeline. */
export function disbursementDetailView(
  row: DisbursementRow,
  outbox: OutboxState | undefined,
  request: { recipient: Record<string, unknown>; redacted: Record<string, unknown> },
  timeline: readonly TimelineRow[],
): DisbursementDetailResponse {
  const state = readState(row);
  const refusal = cancelRefusal(row, state);
  const lastCancel = lastCancelRequest(timeline, row.status);
  return {
    ...disbursementView(row, outbox),
    payment_method: paymentMethodOf(state),
    authentication: authenticationOf(state, row),
    cancel: {
      allowed: refusal === undefined,
      reason: refusal ?? null,
      requested_at: iso(lastCancel.requested_at),
      outcome: lastCancel.outcome,
    },
    // Managed Parties payouts only: a classic payout has no approvers and no other parties (null and []).
    approvals: approvalsView(row, state),
    parties: partiesView(row, state),
    recipient: request.recipient,
    request: request.redacted,
    timeline: timeline.map((t) => timelineEntryView(row, t)),
  };
}
