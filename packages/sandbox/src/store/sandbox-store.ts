// Durable state of the sandbox in one SQLite database (better-sqlite3, WAL, synchronous=FULL): every
// write the gateway acknowledges, every scenario step and every emitted event is committed before anyone
// is told about it, so a kill -9 at any instant loses nothing that was acknowledged. This file is the
// store's API; the row types, the schema and the SQL are beside it (rows.ts, migrations.ts, statements.ts).

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigurationError } from '@notifykit/sdk';
import Database from 'better-sqlite3';
import { GroupCommit } from './group-commit.js';
import { migrate } from './migrations.js';
import type { PiiCipher } from './pii-cipher.js';
import type {
  AttemptRow,
  DeliveryListFilter,
  DeliveryRow,
  DeliveryView,
  EventRow,
  NewNotification,
  NotificationPatch,
  NotificationRow,
  PartyRow,
} from './rows.js';
import { prepareStatements, type Statements } from './statements.js';

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

/** AAD of an encrypted value: its column and the notification's unique key (the id is not known at insert). */
function piiContext(column: string, row: { participant_id: number; puid1: string }): string {
  return `notifications.${column}:${row.participant_id}:${row.puid1}`;
}

/** Typed access to the sandbox database; all statements are prepared once. */
export class SandboxStore {
  private readonly db: Database.Database;
  private readonly s: Statements;
  private readonly patchStatements = new Map<string, Database.Statement>();
  private readonly group: GroupCommit;

  /** With `pii`, the recipient's email and the stored stage request are encrypted at rest (pii-cipher.ts). */
  constructor(
    path: string,
    private readonly pii?: PiiCipher,
  ) {
    this.db = openDatabase(path);
    migrate(this.db);
    const db = this.db;
    // Nested better-sqlite3 transactions are savepoints: each batched job commits or rolls back alone.
    this.group = new GroupCommit(
      (fn) => db.transaction(fn).immediate(),
      (fn) => db.transaction(fn)(),
    );
    this.s = prepareStatements(db);
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
    return this.opened(this.s.notificationById.get(id));
  }

  findNotification(participantId: number, puid1: string): NotificationRow | undefined {
    return this.opened(this.s.notificationByKey.get(participantId, puid1));
  }

  listNotifications(participantId: number, puid1: string | null, state: string | null, limit: number) {
    return this.s.listNotifications
      .all({ participant: participantId, puid1, state, limit })
      .map((row) => this.opened(row)!);
  }

  /** Inserts a notification and returns its id (monotonic per database, never reused). */
  insertNotification(row: NewNotification): number {
    const pii = this.pii;
    const sealed =
      pii === undefined
        ? row
        : {
            ...row,
            email: row.email === null ? null : pii.encrypt(row.email, piiContext('email', row)),
            request_json: pii.encrypt(row.request_json, piiContext('request_json', row)),
          };
    return Number(this.s.insertNotification.run(sealed).lastInsertRowid);
  }

  /** A stored row with its contact data decrypted (as is without a PII key). */
  private opened<R extends NotificationRow | undefined>(row: R): R {
    const pii = this.pii;
    if (pii === undefined || row === undefined) return row;
    return {
      ...row,
      email: row.email === null ? null : pii.decrypt(row.email, piiContext('email', row)),
      request_json: pii.decrypt(row.request_json, piiContext('request_json', row)),
    };
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
    return this.s.due.all(virtualNow, limit).map((row) => this.opened(row)!);
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

  /** An approver's own progress (notified, viewed, authenticated, approved, declined). */
  updatePartyState(partyId: string, state: string): void {
    this.s.updatePartyState.run(state, partyId);
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

  /** What the start log reports: disbursements stored and deliveries still pending. */
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
