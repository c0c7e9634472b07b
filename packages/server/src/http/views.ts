import { formatCents } from '@notifykit/sdk';
import type { DisbursementRow, EventRow } from '../db/schema.js';

// How rows become API objects: times as ISO strings, amounts as exact decimal strings plus cents.

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function disbursementView(row: DisbursementRow) {
  let sideFacts: Record<string, unknown> = {};
  try {
    const state = JSON.parse(row.lifecycle_state) as Record<string, unknown>;
    const { status: _status, appliedEventIds: _applied, ...rest } = state;
    sideFacts = rest;
  } catch {
    sideFacts = {};
  }
  return {
    id: row.id,
    status: row.status,
    participant_id: row.participant_id,
    participant_unique_id1: row.participant_unique_id1,
    participant_unique_id2: row.participant_unique_id2,
    tracer_id: row.tracer_id,
    notification_id: row.notification_id,
    amount: formatCents(row.amount_cents),
    amount_cents: row.amount_cents,
    recipient_name: row.recipient_name,
    on_hold: row.on_hold === 1,
    ingo_status: row.ingo_status,
    failure: row.failure_code === null ? null : { code: row.failure_code, message: row.failure_message ?? '' },
    side_facts: sideFacts,
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
