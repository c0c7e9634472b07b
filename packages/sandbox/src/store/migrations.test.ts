import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from './migrations.js';

describe('schema migrations', () => {
  it('upgrades a database of the first schema: rows kept, the check API column added empty', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.prepare(
      `INSERT INTO notifications (participant_id, username, api_version, puid1, puid2, tracer_id, amount, amount_cents,
        session_id, scenario, state, request_json, request_timestamp, stage_day, created_at, updated_at)
       VALUES (12345, 'dev', 'v3', 'pay-1', '', 'trc-1', '10.00', 1000, 's', 'check', 'check_issued', '{}', 0,
        '2026-01-01', 0, 0)`,
    ).run();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const row = db.prepare('SELECT id, puid1, state, check_action_json FROM notifications').get();
    expect(row).toEqual({ id: 1_000_001, puid1: 'pay-1', state: 'check_issued', check_action_json: null });
    // Migrating again changes nothing.
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });
});
