import { sql } from 'kysely';
import type { Database } from '../../src/db/connection.js';

/**
 * Failure injection: every insert into `table` fails (a trigger raising 'injected') until the returned
 * function removes it. Works on SQLite and PostgreSQL.
 */
export async function failInsertsInto(database: Database, table: 'outbox' | 'events'): Promise<() => Promise<void>> {
  const { db, dialect } = database;
  const name = sql.raw(`nk_fail_${table}`);
  const target = sql.raw(table);
  if (dialect === 'sqlite') {
    await sql`create trigger ${name} before insert on ${target} begin select raise(abort, 'injected'); end`.execute(db);
    return async () => {
      await sql`drop trigger ${name}`.execute(db);
    };
  }
  await sql`create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'injected'; end $$`.execute(
    db,
  );
  await sql`create trigger ${name} before insert on ${target} for each row execute function ${name}()`.execute(db);
  return async () => {
    await sql`drop trigger ${name} on ${target}`.execute(db);
    await sql`drop function ${name}()`.execute(db);
  };
}
