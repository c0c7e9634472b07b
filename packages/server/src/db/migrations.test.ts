import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_MIGRATIONS, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createTemporaryDatabase, requirePostgresUnlessLocal } from '../../test/support/postgres.js';
import { openDatabase, parseDatabaseUrl } from './connection.js';
import { createMigrator, migrateToLatest, migrationsComplete } from './migrations.js';

const postgres = await requirePostgresUnlessLocal();
/** Every migration, in the order they apply. */
const ALL_MIGRATIONS = ['0001_initial', '0003_quarantine', '0004_dashboard', '0005_parties'];

async function exercise(url: string) {
  const database = openDatabase(url);
  try {
    const { db, dialect } = database;
    expect(await migrationsComplete(db, dialect)).toBe(false);
    expect(await migrateToLatest(db, dialect)).toEqual(ALL_MIGRATIONS);
    expect(await migrationsComplete(db, dialect)).toBe(true);
    // Idempotent: a second start applies nothing.
    expect(await migrateToLatest(db, dialect)).toEqual([]);

    const now = Date.now();
    await db
      .insertInto('events')
      .values({
        metadata_id: 'm-1',
        topic: 't',
        classification: 'unknown',
        notification_id: null,
        participant_unique_id1: null,
        disbursement_id: null,
        event_timestamp: now,
        received_at: now,
        duplicate_count: 0,
        last_duplicate_at: null,
        raw_payload: '{}',
      })
      .execute();
    const row = await db.selectFrom('events').selectAll().executeTakeFirstOrThrow();
    // BIGINT comes back as a number on both databases, sequences start at 1.
    expect(row.received_at).toBe(now);
    expect(row.seq).toBe(1);
    await expect(
      db
        .insertInto('events')
        .values({ ...row, seq: undefined } as never)
        .execute(),
    ).rejects.toThrow();

    // Down then up again works (the schema is fully described by the migrations).
    // Every migration down (the last one alone would keep the events table).
    const down = await createMigrator(db, dialect).migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(await migrationsComplete(db, dialect)).toBe(false);
    expect(await migrateToLatest(db, dialect)).toEqual(ALL_MIGRATIONS);
    const count = await sql<{ n: number }>`select count(*) as n from events`.execute(db);
    expect(Number(count.rows[0]!.n)).toBe(0);
  } finally {
    await database.close();
  }
}

describe('migrations on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notifykit-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('create, re-run, roll back and re-apply the schema on a file database', async () => {
    await exercise(`sqlite:${join(dir, 'nested', 'db.sqlite')}`);
  });

  it('run on an in-memory database', async () => {
    await exercise('sqlite::memory:');
  });

  it('use WAL and synchronous=FULL on files', async () => {
    const database = openDatabase(`sqlite:${join(dir, 'pragmas.db')}`);
    try {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
      expect(mode.rows[0]!.journal_mode).toBe('wal');
      expect(sync.rows[0]!.synchronous).toBe(2);
    } finally {
      await database.close();
    }
  });
});

describe('DATABASE_URL parsing', () => {
  it.each([
    ['sqlite::memory:', 'sqlite', ':memory:'],
    ['postgres://u@h/db', 'postgres', 'postgres://u@h/db'],
    ['postgresql://u@h/db', 'postgres', 'postgresql://u@h/db'],
  ])('%s', (url, dialect, location) => {
    expect(parseDatabaseUrl(url)).toEqual({ dialect, location });
  });

  it('resolves relative SQLite paths and rejects unknown schemes', () => {
    expect(parseDatabaseUrl('sqlite:.notifykit/x.db').location).toBe(join(process.cwd(), '.notifykit/x.db'));
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/sqlite: or postgres/);
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/file path/);
  });
});

describe.skipIf(!postgres.available)('migrations on PostgreSQL', () => {
  it('create, re-run, roll back and re-apply the schema', async () => {
    const temp = await createTemporaryDatabase('migrations');
    try {
      await exercise(temp.url);
    } finally {
      await temp.drop();
    }
  });
});
