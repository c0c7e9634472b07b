import { join } from 'node:path';
import { describe } from 'vitest';
import { createTemporaryDatabase, type PostgresAvailability } from './postgres.js';

/** A database for one suite: its DATABASE_URL and how to get rid of it afterwards. */
export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export type TestDatabaseFactory = () => Promise<TestDatabase>;

/** A SQLite file in `dir` (the directory is removed by its owner). */
export function sqliteDatabase(dir: string, file: string): TestDatabaseFactory {
  return async () => ({ url: `sqlite:${join(dir, file)}`, cleanup: async () => {} });
}

/** A freshly created PostgreSQL database, dropped by cleanup. */
export function postgresDatabase(label: string): TestDatabaseFactory {
  return async () => {
    const temp = await createTemporaryDatabase(label);
    return { url: temp.url, cleanup: () => temp.drop() };
  };
}

/**
 * Registers `suite` once on SQLite and once on PostgreSQL; the PostgreSQL copy is skipped only when
 * PostgreSQL is unreachable outside CI (under CI=true `requirePostgresUnlessLocal` already failed).
 */
export function describeOnEachDatabase(
  postgres: PostgresAvailability,
  sqlite: { dir: string; file: string },
  label: string,
  suite: (name: 'SQLite' | 'PostgreSQL', database: TestDatabaseFactory) => void,
): void {
  suite('SQLite', sqliteDatabase(sqlite.dir, sqlite.file));
  describe.skipIf(!postgres.available)('PostgreSQL', () => {
    suite('PostgreSQL', postgresDatabase(label));
  });
}

/**
 * Registers a PostgreSQL-only suite, with the same rule as {@link describeOnEachDatabase}: under
 * CI=true an unreachable PostgreSQL has already failed the run (`requirePostgresUnlessLocal`), so the
 * suite is skipped only on a developer machine without PostgreSQL.
 */
export function describeOnPostgres(postgres: PostgresAvailability, name: string, suite: () => void): void {
  describe.skipIf(!postgres.available)(name, suite);
}
