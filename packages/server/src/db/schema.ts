import type { Generated, Selectable } from 'kysely';

// Times are Unix milliseconds and amounts integer cents in BIGINT columns on both databases, so the
// same queries and comparisons serve SQLite and PostgreSQL and no value ever goes through a float.
// Booleans are 0/1 integers for the same reason.

export interface DisbursementsTable {
  id: string;
  participant_id: number;
  participant_unique_id1: string;
  participant_unique_id2: string | null;
  tracer_id: string;
  notification_id: string | null;
  amount_cents: number;
  status: string;
  /** Highest progress rank ever reached (drives the staged → funded funnel). */
  furthest_rank: number;
  /** Display name (first + last, or business name); not in the encrypted set, see README. */
  recipient_name: string;
  /** Lower-cased, accent-stripped name for text search. */
  recipient_name_search: string;
  /** The SDK reducer's state, JSON: internal, never shown as is (the API derives hold, payment method… from it). */
  lifecycle_state: string;
  on_hold: number;
  /** Last Ingo status code of a stage or cancel call. */
  ingo_status: number | null;
  failure_code: string | null;
  failure_message: string | null;
  created_at: number;
  updated_at: number;
  staged_at: number | null;
  funded_at: number | null;
  time_to_fund_ms: number | null;
  last_event_at: number | null;
  /**
   * Managed Parties (v4) payouts: JSON `[{client_provided_id, role, name, party_id}]` (see
   * lifecycle/managed-parties.ts); null for classic (v3) payouts. No sensitive value is kept here.
   */
  managed_parties: string | null;
}

/** Cold data kept apart so the hot disbursement rows stay small (SQLite rewrites a whole row on update). */
export interface DisbursementRequestsTable {
  disbursement_id: string;
  /** The whole v3 stage request, AES-256-GCM encrypted (client_provided_values, email, phone, address). */
  request_enc: string;
}

export interface EventsTable {
  seq: Generated<number>;
  metadata_id: string;
  topic: string;
  /** `classifyTopic` result: the status the topic points at, or a side-fact kind, or `unknown`. */
  classification: string;
  notification_id: string | null;
  participant_unique_id1: string | null;
  /** Null while the event is an orphan (no disbursement known for it yet). */
  disbursement_id: string | null;
  event_timestamp: number | null;
  received_at: number;
  duplicate_count: number;
  last_duplicate_at: number | null;
  raw_payload: string;
}

export interface TimelineTable {
  seq: Generated<number>;
  disbursement_id: string;
  at: number;
  kind: string;
  event_seq: number | null;
  status_before: string | null;
  status_after: string | null;
  detail: string | null;
}

export interface OutboxTable {
  disbursement_id: string;
  operation: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  claimed_by: string | null;
  last_error: string | null;
  created_at: number;
}

/** A verified webhook that could not be stored as an event (webhooks/quarantine.ts), kept verbatim. */
export interface QuarantinedWebhooksTable {
  seq: Generated<number>;
  /** SHA-256 of the raw body, hex: a redelivery of the same body is kept once. */
  body_sha256: string;
  reason: string;
  received_at: number;
  raw_payload: string;
}

export interface DatabaseSchema {
  disbursements: DisbursementsTable;
  disbursement_requests: DisbursementRequestsTable;
  events: EventsTable;
  timeline: TimelineTable;
  outbox: OutboxTable;
  quarantined_webhooks: QuarantinedWebhooksTable;
}

export type DisbursementRow = Selectable<DisbursementsTable>;
export type EventRow = Selectable<EventsTable>;
export type OutboxRow = Selectable<OutboxTable>;
