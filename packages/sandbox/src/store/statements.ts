// Every SQL statement the store runs, prepared once per database. Each one is typed with its parameters
// and the row it returns (rows.ts); nothing checks those types against the SQL, so they stand beside it.

import type Database from 'better-sqlite3';
import type {
  AttemptRow,
  DeliveryRow,
  DeliveryStatus,
  DeliveryView,
  EventRow,
  NewNotification,
  NotificationRow,
  PartyRow,
} from './rows.js';

/**
 * What the store calls on a prepared statement. A type of ours because better-sqlite3's typings declare
 * Statement in a namespace that the declaration emit of an exported function cannot name.
 */
export type PreparedStatement<P extends unknown[] | object = unknown[], R = unknown> = Pick<
  Database.Statement<P, R>,
  'run' | 'get' | 'all'
>;

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  const prepare = <P extends unknown[] | object = unknown[], R = unknown>(sql: string): PreparedStatement<P, R> =>
    db.prepare<P, R>(sql);
  return {
    getMeta: prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    notificationById: prepare<[number], NotificationRow>('SELECT * FROM notifications WHERE id = ?'),
    notificationByKey: prepare<[number, string], NotificationRow>(
      'SELECT * FROM notifications WHERE participant_id = ? AND puid1 = ?',
    ),
    insertNotification: prepare<NewNotification>(`
      INSERT INTO notifications (participant_id, username, api_version, puid1, puid2, tracer_id, amount,
        amount_cents, first_name, last_name, business_name, email, session_id, scenario, state, hold,
        auth_failures, account_type, request_json, request_timestamp, cancel_json, check_action_json, stage_day,
        created_at, updated_at, next_step_at, expires_at)
      VALUES (@participant_id, @username, @api_version, @puid1, @puid2, @tracer_id, @amount, @amount_cents,
        @first_name, @last_name, @business_name, @email, @session_id, @scenario, @state, @hold,
        @auth_failures, @account_type, @request_json, @request_timestamp, @cancel_json, @check_action_json,
        @stage_day, @created_at, @updated_at, @next_step_at, @expires_at)`),
    velocity: prepare<[number, string], { total: number | null }>(
      'SELECT sum(amount_cents) AS total FROM notifications WHERE participant_id = ? AND stage_day = ?',
    ),
    listNotifications: prepare<
      [{ participant: number; puid1: string | null; state: string | null; limit: number }],
      NotificationRow
    >(`
      SELECT * FROM notifications WHERE participant_id = @participant
        AND (@puid1 IS NULL OR puid1 = @puid1) AND (@state IS NULL OR state = @state)
      ORDER BY id DESC LIMIT @limit`),
    due: prepare<[number, number], NotificationRow>(
      'SELECT * FROM notifications WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?',
    ),
    nextDue: prepare<[], { at: number | null }>('SELECT min(due_at) AS at FROM notifications WHERE due_at IS NOT NULL'),
    insertParty: prepare<PartyRow>(`
      INSERT INTO parties (party_id, notification_id, role, client_provided_id, state, created_at)
      VALUES (@party_id, @notification_id, @role, @client_provided_id, @state, @created_at)`),
    parties: prepare<[number], PartyRow>('SELECT * FROM parties WHERE notification_id = ? ORDER BY role, rowid'),
    updatePartyState: prepare<[string, string]>('UPDATE parties SET state = ? WHERE party_id = ?'),
    insertEvent: prepare<Omit<EventRow, 'seq'>>(`
      INSERT INTO events (id, notification_id, topic, body, created_at)
      VALUES (@id, @notification_id, @topic, @body, @created_at)`),
    eventById: prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
    events: prepare<[number], EventRow>('SELECT * FROM events WHERE notification_id = ? ORDER BY seq'),
    insertDelivery: prepare<[string, string, number]>(`
      INSERT INTO deliveries (event_id, url, status, next_attempt_at) VALUES (?, ?, 'pending', ?)
      ON CONFLICT (event_id, url) DO UPDATE SET status = 'pending', cycle_failures = 0,
        next_attempt_at = excluded.next_attempt_at`),
    deliveriesOfEvent: prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE event_id = ?'),
    dueDeliveries: prepare<[string, number, number], DeliveryRow & { body: string }>(`
      SELECT d.*, e.body FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.url = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
      ORDER BY d.next_attempt_at, e.seq LIMIT ?`),
    pendingUrls: prepare<[], { url: string }>("SELECT DISTINCT url FROM deliveries WHERE status = 'pending'"),
    nextDeliveryAfter: prepare<[number], { at: number | null }>(
      "SELECT min(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND next_attempt_at > ?",
    ),
    updateDelivery: prepare<
      [
        DeliveryStatus,
        number,
        number,
        number | null,
        number,
        number | null,
        string | null,
        number | null,
        string,
        string,
      ]
    >(`
      UPDATE deliveries SET status = ?, attempts = ?, cycle_failures = ?, next_attempt_at = ?,
        last_attempt_at = ?, last_http_status = ?, last_error = ?, delivered_at = coalesce(?, delivered_at)
      WHERE event_id = ? AND url = ?`),
    countAttempt: prepare<[number, string, string]>(
      'UPDATE deliveries SET attempts = max(attempts, ?) WHERE event_id = ? AND url = ?',
    ),
    insertAttempt: prepare<Omit<AttemptRow, 'id'>>(`
      INSERT INTO delivery_attempts (event_id, url, attempt, started_at, latency_ms, http_status, error,
        outcome, next_retry_at)
      VALUES (@event_id, @url, @attempt, @started_at, @latency_ms, @http_status, @error, @outcome,
        @next_retry_at)`),
    listDeliveries: prepare<
      [
        {
          participant: number;
          notification: number | null;
          status: string | null;
          event: string | null;
          limit: number;
        },
      ],
      DeliveryView
    >(`
      SELECT d.*, e.notification_id, e.topic FROM deliveries d
      JOIN events e ON e.id = d.event_id JOIN notifications n ON n.id = e.notification_id
      WHERE n.participant_id = @participant AND (@notification IS NULL OR e.notification_id = @notification)
        AND (@status IS NULL OR d.status = @status) AND (@event IS NULL OR d.event_id = @event)
      ORDER BY e.seq LIMIT @limit`),
    attemptsOf: prepare<[string], AttemptRow>('SELECT * FROM delivery_attempts WHERE event_id = ? ORDER BY id'),
    counts: prepare<[], { notifications: number; pending: number }>(`
      SELECT (SELECT count(*) FROM notifications) AS notifications,
        (SELECT count(*) FROM deliveries WHERE status = 'pending') AS pending`),
  };
}
