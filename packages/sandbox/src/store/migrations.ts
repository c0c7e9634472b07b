// The schema, one migration per version (PRAGMA user_version). Each entry upgrades by one version; never
// edit a shipped entry, add the next one instead.

import { ConfigurationError } from '@notifykit/sdk';
import type Database from 'better-sqlite3';

/** Notification ids start where Ingo's fixtures do, and never go back (AUTOINCREMENT never reuses). */
const FIRST_NOTIFICATION_ID = 1_000_001;

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
  // 2: the check API (docs/ingo-contract.md §4.1) replays its answer to a repeated void or stop.
  `
  ALTER TABLE notifications ADD COLUMN check_action_json TEXT;
  `,
];

/**
 * Brings the database up to the newest schema (or to `target`, for tests of an upgrade); refuses a
 * database written by a newer sandbox.
 */
export function migrate(db: Database.Database, target = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new ConfigurationError(
      `the database was written by a newer sandbox (schema ${current}, this one knows ${MIGRATIONS.length})`,
    );
  }
  for (let version = current; version < Math.min(target, MIGRATIONS.length); version++) {
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
