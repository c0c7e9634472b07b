// The shapes the dashboard reads: the REST API's (packages/server/src/http/response-schemas.ts) and
// the overview (src/dashboard/overview.ts). Only the fields the pages use.

export interface AttentionFlag {
  code: string;
  message: string;
  at: string | null;
}

export interface Disbursement {
  id: string;
  kind: 'classic' | 'managed';
  status: string;
  participant_id: number;
  participant_unique_id1: string;
  participant_unique_id2: string | null;
  tracer_id: string;
  notification_id: string | null;
  amount: string;
  amount_cents: number;
  recipient_name: string;
  hold: { active: boolean; reasons: string[] };
  attention: AttentionFlag[];
  ingo_status: number | null;
  failure: { code: string; message: string } | null;
  created_at: string;
  updated_at: string;
  staged_at: string | null;
  funded_at: string | null;
  last_event_at: string | null;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  kind: string;
  status_before: string | null;
  status_after: string | null;
  detail: unknown;
  party_id?: string | null;
  party_role?: string | null;
  event: {
    seq: number;
    metadata_id: string;
    topic: string;
    occurred_at: string | null;
    received_at: string;
    duplicate_count: number;
    payload: unknown;
  } | null;
}

export interface Party {
  party_id: string | null;
  client_provided_id: string;
  role: string;
  name: string | null;
  notified: boolean;
  viewed: boolean;
  authenticated: boolean;
  decision: 'approved' | 'declined' | null;
  decided_at: string | null;
}

export interface DisbursementDetail extends Disbursement {
  payment_method: { account_type: string | null; account_id_last4: string | null } | null;
  authentication: { attempts: number | null; max_attempts: number | null; passed: boolean };
  cancel: {
    allowed: boolean;
    reason: string | null;
    requested_at: string | null;
    outcome: 'accepted' | 'refused' | 'unknown' | null;
  };
  approvals: {
    required: number;
    approved: number;
    declined: number;
    complete: boolean;
    decisions: { party_id: string; decision: string; decided_at: string | null }[];
  } | null;
  parties: Party[];
  recipient: Record<string, unknown>;
  timeline: TimelineEntry[];
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface CountAndAmount {
  count: number;
  amount: string;
  amount_cents: number;
}

export interface Overview {
  total: CountAndAmount;
  by_status: Record<string, CountAndAmount>;
  funnel: { step: string; reached: number; conversion: number | null }[];
  median_time_to_fund_ms: number | null;
  orphan_events: number;
  outbox_depth: number;
  per_day: { day: string; staged: number; funded: number }[];
  attention: Disbursement[];
  generated_at: string;
}

export interface LiveEvent {
  seq: number;
  disbursement_id: string;
  kind: string;
  status: string | null;
  topic: string | null;
  at: string;
}
