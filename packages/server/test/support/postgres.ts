import { randomBytes } from 'node:crypto';
import pg from 'pg';

// PostgreSQL tests run against the machine's server (postgres@127.0.0.1:5432, trust auth), each run in
// its own freshly created database that is dropped afterwards.

export const POSTGRES_ADMIN_URL =
  process.env.NOTIFYKIT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresAvailability {
  available: boolean;
  reason: string;
}

export async function probePostgres(url = POSTGRES_ADMIN_URL): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return { available: true, reason: 'reachable' };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Resolves whether PostgreSQL tests run. Unreachable PostgreSQL fails the run under CI=true and skips
 * (with the reason printed) everywhere else.
 */
export async function requirePostgresUnlessLocal(
  url = POSTGRES_ADMIN_URL,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PostgresAvailability> {
  const availability = await probePostgres(url);
  if (!availability.available) {
    const message = `PostgreSQL at ${url} is unreachable (${availability.reason})`;
    if (env.CI === 'true') throw new Error(`${message}; PostgreSQL tests are required when CI=true`);
    console.warn(`${message}: skipping PostgreSQL tests (they are required when CI=true)`);
  }
  return availability;
}

export interface TemporaryDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTemporaryDatabase(label = 'test'): Promise<TemporaryDatabase> {
  const name = `notifykit_${label}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
