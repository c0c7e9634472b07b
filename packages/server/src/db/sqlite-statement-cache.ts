import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

// Kysely's SQLite driver prepares every statement anew; preparing costs as much as running a small
// insert. The hot paths issue the same few SQL texts over and over, so prepared statements are
// reused (bounded LRU: texts with variable-length IN lists would otherwise grow the cache forever).
// Reuse is safe because Kysely runs each statement to completion (all/run) before the next.
//
// Transactions begin IMMEDIATE: when another connection writes too (`notifykit-server reencrypt` beside
// a running server), a deferred transaction that reads first and writes later could not wait for the
// other writer's lock (SQLITE_BUSY_SNAPSHOT); an immediate one waits (busy_timeout) at BEGIN instead.

export function withStatementCache(database: BetterSqlite3.Database, capacity = 256): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close() {
      cache.clear();
      database.close();
    },
    prepare(text: string): SqliteStatement {
      const sql = text === 'begin' ? 'begin immediate' : text;
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}
