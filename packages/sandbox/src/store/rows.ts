// The sandbox's tables as TypeScript sees them: one interface per row (columns in snake_case, exactly as
// stored), plus the shapes the store reads and writes. The DDL is in migrations.ts.

export type ApiVersion = 'v3' | 'v4';

export interface NotificationRow {
  id: number;
  participant_id: number;
  username: string;
  api_version: ApiVersion;
  puid1: string;
  puid2: string;
  tracer_id: string;
  amount: string;
  amount_cents: number;
  first_name: string | null;
  last_name: string | null;
  business_name: string | null;
  email: string | null;
  session_id: string;
  scenario: string;
  /** Machine state (see simulation/machine.ts). */
  state: string;
  /** An open hold such as an OFAC suspension; null when none. */
  hold: string | null;
  auth_failures: number;
  account_type: string | null;
  /** The stage request with sensitive values redacted: nothing secret is kept at rest. */
  request_json: string;
  /** `request_timestamp` of the original stage response (Unix seconds), replayed on status 101. */
  request_timestamp: number;
  /** `data` of the accepted cancel, replayed on an idempotent re-cancel. */
  cancel_json: string | null;
  /** `{path, data}` of the accepted check void or stop, replayed when the same action is repeated. */
  check_action_json: string | null;
  /** UTC day (virtual clock) the disbursement counts against for velocity. */
  stage_day: string;
  created_at: number;
  updated_at: number;
  /** Virtual ms of the scenario's next automatic action; null when the scenario waits. */
  next_step_at: number | null;
  /** Virtual ms at which an unclaimed disbursement expires; null once claimed or terminal. */
  expires_at: number | null;
  /** min(next_step_at, expires_at): what the scheduler polls. */
  due_at: number | null;
}

export type NewNotification = Omit<NotificationRow, 'id' | 'due_at'>;

export type NotificationPatch = Partial<
  Pick<
    NotificationRow,
    | 'state'
    | 'hold'
    | 'auth_failures'
    | 'account_type'
    | 'cancel_json'
    | 'check_action_json'
    | 'updated_at'
    | 'next_step_at'
    | 'expires_at'
  >
>;

export interface PartyRow {
  party_id: string;
  notification_id: number;
  /** 0 recipient, 1 approver, 2 interested party. */
  role: number;
  client_provided_id: string;
  state: string;
  created_at: number;
}

export interface EventRow {
  seq: number;
  id: string;
  notification_id: number;
  topic: string;
  /** The exact JSON body delivered, byte for byte, on every attempt. */
  body: string;
  created_at: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'exhausted';

export interface DeliveryRow {
  event_id: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  /** Failures since the last success or redelivery: the position in the retry schedule. */
  cycle_failures: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  last_http_status: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

export type AttemptOutcome = 'delivered' | 'failed' | 'exhausted' | 'duplicate';

export interface AttemptRow {
  id: number;
  event_id: string;
  url: string;
  attempt: number;
  started_at: number;
  latency_ms: number;
  http_status: number | null;
  error: string | null;
  outcome: AttemptOutcome;
  next_retry_at: number | null;
}

export interface DeliveryListFilter {
  participantId: number;
  notificationId?: number;
  status?: DeliveryStatus;
  eventId?: string;
  limit: number;
}

export interface DeliveryView extends DeliveryRow {
  notification_id: number;
  topic: string;
}
