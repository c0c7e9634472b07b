// Durable state of the sandbox in one SQLite database (better-sqlite3, WAL, synchronous=FULL): every
// write the gateway acknowledges, every scenario step and every emitted event is committed before anyone
// is told about it, so a kill -9 at any instant loses nothing that was acknowledged.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigurationError } from '@notifykit/sdk';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';

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
  /** Machine state (see machine.ts). */
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
    'state' | 'hold' | 'auth_failures' | 'account_type' | 'cancel_json' | 'updated_at' | 'next_step_at' | 'expires_at'
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

const FIRST_NOTIFICATION_ID = 1_000_001;

// Each entry upgrades the schema by one version (PRAGMA user_version); never edit a shipped entry.
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participant_id INTEGER NOT NULL,
    username TEXT NOT NULL,
    api_version TEXT NOT NULL,
    puid1 TEXT NOT NULL,
    puid2 TEXT NOT NULL,
    tracer_id TEXT NOT NULL,
    amount TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    first_name TEXT,
    last_name TEXT,
    business_name TEXT,
    email TEXT,
    session_id TEXT NOT NULL,
    scenario TEXT NOT NULL,
    state TEXT NOT NULL,
    hold TEXT,
    auth_failures INTEGER NOT NULL DEFAULT 0,
    account_type TEXT,
    request_json TEXT NOT NULL,
    request_timestamp INTEGER NOT NULL,
    cancel_json TEXT,
    stage_day TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    next_step_at INTEGER,
    expires_at INTEGER,
    due_at INTEGER GENERATED ALWAYS AS (
      CASE WHEN next_step_at IS NULL THEN expires_at
           WHEN expires_at IS NULL THEN next_step_at
           ELSE min(next_step_at, expires_at) END) VIRTUAL,
    UNIQUE (participant_id, puid1)
  );
  CREATE INDEX notifications_due ON notifications (due_at) WHERE due_at IS NOT NULL;
  CREATE INDEX notifications_velocity ON notifications (participant_id, stage_day);

  CREATE TABLE parties (
    party_id TEXT PRIMARY KEY,
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    role INTEGER NOT NULL,
    client_provided_id TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX parties_notification ON parties (notification_id);

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX events_notification ON events (notification_id, seq);

  CREATE TABLE deliveries (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    cycle_failures INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    last_http_status INTEGER,
    last_error TEXT,
    delivered_at INTEGER,
    PRIMARY KEY (event_id, url)
  ) STRICT;
  CREATE INDEX deliveries_due ON deliveries (url, next_attempt_at) WHERE status = 'pending';
  CREATE INDEX deliveries_next ON deliveries (next_attempt_at) WHERE status = 'pending';

  CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    http_status INTEGER,
    error TEXT,
    outcome TEXT NOT NULL,
    next_retry_at INTEGER
  );
  CREATE INDEX delivery_attempts_event ON delivery_attempts (event_id, id);
  `,
];

function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // A short busy timeout: a previous owner that is still exiting gets a moment, a live one is refused.
  const db = new Database(path, { timeout: 500 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // One sandbox per database file: a second process would run a second scheduler and deliver every
    // webhook twice. The exclusive lock is released by the OS when the owner dies, even on kill -9.
    db.pragma('locking_mode = EXCLUSIVE');
    db.prepare('BEGIN EXCLUSIVE').run();
    db.prepare('COMMIT').run();
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new ConfigurationError(`the database ${path} is in use by another sandbox process`);
    }
    throw error;
  }
  return db;
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new ConfigurationError(
      `the database was written by a newer sandbox (schema ${current}, this one knows ${MIGRATIONS.length})`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      if (version === 0) {
        db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('notifications', ?)").run(
          FIRST_NOTIFICATION_ID - 1,
        );
      }
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** Typed access to the sandbox database; all statements are prepared once. */
export class SandboxStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly s;
  private readonly patchStatements = new Map<string, Database.Statement>();
  private readonly group: GroupCommit;

  constructor(path: string) {
    this.path = path;
    this.db = openDatabase(path);
    migrate(this.db);
    const db = this.db;
    // Nested better-sqlite3 transactions are savepoints: each batched job commits or rolls back alone.
    this.group = new GroupCommit(
      (fn) => db.transaction(fn).immediate(),
      (fn) => db.transaction(fn)(),
    );
    this.s = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      notificationById: db.prepare<[number], NotificationRow>('SELECT * FROM notifications WHERE id = ?'),
      notificationByKey: db.prepare<[number, string], NotificationRow>(
        'SELECT * FROM notifications WHERE participant_id = ? AND puid1 = ?',
      ),
      insertNotification: db.prepare<NewNotification>(`
        INSERT INTO notifications (participant_id, username, api_version, puid1, puid2, tracer_id, amount,
          amount_cents, first_name, last_name, business_name, email, session_id, scenario, state, hold,
          auth_failures, account_type, request_json, request_timestamp, cancel_json, stage_day, created_at,
          updated_at, next_step_at, expires_at)
        VALUES (@participant_id, @username, @api_version, @puid1, @puid2, @tracer_id, @amount, @amount_cents,
          @first_name, @last_name, @business_name, @email, @session_id, @scenario, @state, @hold,
          @auth_failures, @account_type, @request_json, @request_timestamp, @cancel_json, @stage_day, @created_at,
          @updated_at, @next_step_at, @expires_at)`),
      velocity: db.prepare<[number, string], { total: number | null }>(
        'SELECT sum(amount_cents) AS total FROM notifications WHERE participant_id = ? AND stage_day = ?',
      ),
      listNotifications: db.prepare<
        [{ participant: number; puid1: string | null; state: string | null; limit: number }],
        NotificationRow
      >(`
        SELECT * FROM notifications WHERE participant_id = @participant
          AND (@puid1 IS NULL OR puid1 = @puid1) AND (@state IS NULL OR state = @state)
        ORDER BY id DESC LIMIT @limit`),
      due: db.prepare<[number, number], NotificationRow>(
        'SELECT * FROM notifications WHERE due_at IS NOT NULL AND due_at <= ? ORDER BY due_at, id LIMIT ?',
      ),
      nextDue: db.prepare<[], { at: number | null }>(
        'SELECT min(due_at) AS at FROM notifications WHERE due_at IS NOT NULL',
      ),
      insertParty: db.prepare<PartyRow>(`
        INSERT INTO parties (party_id, notification_id, role, client_provided_id, state, created_at)
        VALUES (@party_id, @notification_id, @role, @client_provided_id, @state, @created_at)`),
      parties: db.prepare<[number], PartyRow>('SELECT * FROM parties WHERE notification_id = ? ORDER BY role, rowid'),
      insertEvent: db.prepare<Omit<EventRow, 'seq'>>(`
        INSERT INTO events (id, notification_id, topic, body, created_at)
        VALUES (@id, @notification_id, @topic, @body, @created_at)`),
      eventById: db.prepare<[string], EventRow>('SELECT * FROM events WHERE id = ?'),
      events: db.prepare<[number], EventRow>('SELECT * FROM events WHERE notification_id = ? ORDER BY seq'),
      insertDelivery: db.prepare<[string, string, number]>(`
        INSERT INTO deliveries (event_id, url, status, next_attempt_at) VALUES (?, ?, 'pending', ?)
        ON CONFLICT (event_id, url) DO UPDATE SET status = 'pending', cycle_failures = 0,
          next_attempt_at = excluded.next_attempt_at`),
      deliveriesOfEvent: db.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE event_id = ?'),
      dueDeliveries: db.prepare<[string, number, number], DeliveryRow & { body: string }>(`
        SELECT d.*, e.body FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.url = ? AND d.status = 'pending' AND d.next_attempt_at <= ?
        ORDER BY d.next_attempt_at, e.seq LIMIT ?`),
      pendingUrls: db.prepare<[], { url: string }>("SELECT DISTINCT url FROM deliveries WHERE status = 'pending'"),
      nextDeliveryAfter: db.prepare<[number], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM deliveries WHERE status = 'pending' AND next_attempt_at > ?",
      ),
      updateDelivery: db.prepare<
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
      countAttempt: db.prepare<[number, string, string]>(
        'UPDATE deliveries SET attempts = max(attempts, ?) WHERE event_id = ? AND url = ?',
      ),
      insertAttempt: db.prepare<Omit<AttemptRow, 'id'>>(`
        INSERT INTO delivery_attempts (event_id, url, attempt, started_at, latency_ms, http_status, error,
          outcome, next_retry_at)
        VALUES (@event_id, @url, @attempt, @started_at, @latency_ms, @http_status, @error, @outcome,
          @next_retry_at)`),
      listDeliveries: db.prepare<
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
      attemptsOf: db.prepare<[string], AttemptRow>('SELECT * FROM delivery_attempts WHERE event_id = ? ORDER BY id'),
      counts: db.prepare<[], { notifications: number; events: number; pending: number }>(`
        SELECT (SELECT count(*) FROM notifications) AS notifications, (SELECT count(*) FROM events) AS events,
          (SELECT count(*) FROM deliveries WHERE status = 'pending') AS pending`),
    };
  }

  /** Runs `fn` in one IMMEDIATE transaction; it commits (and fsyncs) before returning. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Runs `fn` in a transaction shared with the other writes of this event-loop turn (group commit) and
   * resolves once it has committed: as durable as {@link transaction}, one fsync for many requests.
   */
  batched<T>(fn: () => T): Promise<T> {
    return this.group.run(fn);
  }

  getMeta(key: string): string | undefined {
    return this.s.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.s.setMeta.run(key, value);
  }

  getNotification(id: number): NotificationRow | undefined {
    return this.s.notificationById.get(id);
  }

  findNotification(participantId: number, puid1: string): NotificationRow | undefined {
    return this.s.notificationByKey.get(participantId, puid1);
  }

  listNotifications(participantId: number, puid1: string | null, state: string | null, limit: number) {
    return this.s.listNotifications.all({ participant: participantId, puid1, state, limit });
  }

  /** Inserts a notification and returns its id (monotonic per database, never reused). */
  insertNotification(row: NewNotification): number {
    return Number(this.s.insertNotification.run(row).lastInsertRowid);
  }

  updateNotification(id: number, patch: NotificationPatch): void {
    const keys = Object.keys(patch) as (keyof NotificationPatch)[];
    if (keys.length === 0) return;
    // Column names come from the NotificationPatch type, never from input.
    const sql = `UPDATE notifications SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`;
    let statement = this.patchStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.patchStatements.set(sql, statement);
    }
    statement.run({ ...patch, id });
  }

  /** Cents staged by a participant on a UTC day (velocity, status 610). */
  stagedCentsOn(participantId: number, day: string): number {
    return this.s.velocity.get(participantId, day)?.total ?? 0;
  }

  dueNotifications(virtualNow: number, limit: number): NotificationRow[] {
    return this.s.due.all(virtualNow, limit);
  }

  nextNotificationDueAt(): number | null {
    return this.s.nextDue.get()?.at ?? null;
  }

  insertParty(row: PartyRow): void {
    this.s.insertParty.run(row);
  }

  parties(notificationId: number): PartyRow[] {
    return this.s.parties.all(notificationId);
  }

  insertEvent(row: Omit<EventRow, 'seq'>): void {
    this.s.insertEvent.run(row);
  }

  getEvent(id: string): EventRow | undefined {
    return this.s.eventById.get(id);
  }

  events(notificationId: number): EventRow[] {
    return this.s.events.all(notificationId);
  }

  /** Queues (or re-queues, for a redelivery) an event for a URL. */
  enqueueDelivery(eventId: string, url: string, notBefore: number): void {
    this.s.insertDelivery.run(eventId, url, notBefore);
  }

  deliveriesOfEvent(eventId: string): DeliveryRow[] {
    return this.s.deliveriesOfEvent.all(eventId);
  }

  dueDeliveries(url: string, realNow: number, limit: number) {
    return this.s.dueDeliveries.all(url, realNow, limit);
  }

  /** URLs with pending deliveries (read once at start; the worker tracks new ones itself). */
  pendingDeliveryUrls(): string[] {
    return this.s.pendingUrls.all().map((r) => r.url);
  }

  /** Earliest attempt due strictly after `realNow` (the ones already due are being worked on). */
  nextDeliveryAfter(realNow: number): number | null {
    return this.s.nextDeliveryAfter.get(realNow)?.at ?? null;
  }

  /**
   * Records one attempt and the delivery's new state atomically, sharing the commit with the other
   * writes of this turn; resolves once durable.
   */
  recordAttempt(attempt: Omit<AttemptRow, 'id'>, delivery: Omit<DeliveryRow, 'event_id' | 'url'>): Promise<void> {
    return this.batched(() => {
      this.s.insertAttempt.run(attempt);
      if (attempt.outcome === 'duplicate') {
        this.s.countAttempt.run(attempt.attempt, attempt.event_id, attempt.url);
        return;
      }
      this.s.updateDelivery.run(
        delivery.status,
        delivery.attempts,
        delivery.cycle_failures,
        delivery.next_attempt_at,
        delivery.last_attempt_at ?? attempt.started_at,
        delivery.last_http_status,
        delivery.last_error,
        delivery.delivered_at,
        attempt.event_id,
        attempt.url,
      );
    });
  }

  listDeliveries(filter: DeliveryListFilter): DeliveryView[] {
    return this.s.listDeliveries.all({
      participant: filter.participantId,
      notification: filter.notificationId ?? null,
      status: filter.status ?? null,
      event: filter.eventId ?? null,
      limit: filter.limit,
    });
  }

  attemptsOf(eventId: string): AttemptRow[] {
    return this.s.attemptsOf.all(eventId);
  }

  counts() {
    return this.s.counts.get()!;
  }

  /** Deletes every disbursement, event and delivery; ids keep growing (never reused). */
  reset(): void {
    this.transaction(() => {
      this.db.exec('DELETE FROM delivery_attempts; DELETE FROM deliveries; DELETE FROM events; DELETE FROM parties;');
      this.db.exec('DELETE FROM notifications;');
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
