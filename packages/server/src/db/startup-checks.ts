import { ConfigurationError } from '@notifykit/sdk';
import { sql } from 'kysely';
import { type Database, parseDatabaseUrl } from './connection.js';
import type { FieldCipher } from './field-encryption.js';

// What must hold before a server serves: the database answers, and every stored encrypted value is
// under a key NOTIFYKIT_ENCRYPTION_KEY holds. Each failure is one sentence an operator can act on
// (ConfigurationError: the binary prints it on one line and exits 2), never a driver's message alone.

/** A driver error (pg, Node's net, an AggregateError of both address families) → its code. */
function errorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === 'string') return e.code;
  return Array.isArray(e?.errors) ? errorCode(e.errors[0]) : undefined;
}

const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused): is it running?',
  ENOTFOUND: 'host not found): check the host in DATABASE_URL',
  EAI_AGAIN: 'host not found): check the host in DATABASE_URL',
  ETIMEDOUT: 'timed out): is it running, and is the port open to this machine?',
  EHOSTUNREACH: 'host unreachable): check the host in DATABASE_URL and the network',
};

/** The plain-words sentence for a PostgreSQL connection failure, or undefined when there is none. */
export function explainPostgresFailure(error: unknown, databaseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return undefined;
  }
  const host = url.hostname || 'localhost';
  const port = url.port || '5432';
  const name = decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username);
  const user = decodeURIComponent(url.username);
  const code = errorCode(error);
  const network = code === undefined ? undefined : NETWORK_FAILURES[code];
  if (network) return `cannot reach PostgreSQL at ${host}:${port} (${network}`;
  switch (code) {
    case '3D000':
      return (
        `database "${name}" does not exist: create it with ` +
        `\`createdb -h ${host} -p ${port}${user ? ` -U ${user}` : ''} ${name}\` (or CREATE DATABASE "${name}")`
      );
    case '28P01':
    case '28000':
      return `PostgreSQL at ${host}:${port} refused the login of user "${user}": check the user and password in DATABASE_URL`;
    case '57P03':
      return `PostgreSQL at ${host}:${port} is starting up or shutting down: try again in a moment`;
    default:
      return undefined;
  }
}

/** Fails with one actionable sentence when the database cannot be used at all. */
export async function ensureDatabaseReachable(database: Database, databaseUrl: string): Promise<void> {
  try {
    await database.ping();
  } catch (error) {
    const plain =
      parseDatabaseUrl(databaseUrl).dialect === 'postgres' ? explainPostgresFailure(error, databaseUrl) : undefined;
    throw new ConfigurationError(
      plain ?? `cannot open the database ${database.description}: ${error instanceof Error ? error.message : error}`,
    );
  }
}

/**
 * Key ids of stored encrypted values that no configured key matches. The id is in every envelope
 * (`enc1:<id>:…`, db/field-encryption.ts), so this reads ids only: nothing is decrypted.
 */
export async function unreadableKeyIds(database: Database, cipher: FieldCipher): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select distinct substr(request_enc, 6, 8) as id from disbursement_requests`.execute(database.db);
  return rows.rows.map((r) => r.id).filter((id) => !cipher.hasKey(id));
}

/** One sentence for the operator when stored data is under keys this server does not have. */
export function describeUnreadableKeys(ids: readonly string[]): string {
  return (
    `NOTIFYKIT_ENCRYPTION_KEY cannot decrypt the stored data: values are under key id(s) ${ids.join(', ')}, ` +
    'which no configured key matches; list the key they were written with (after the new one, when rotating)'
  );
}

export async function ensureStoredDataReadable(database: Database, cipher: FieldCipher): Promise<void> {
  const ids = await unreadableKeyIds(database, cipher);
  if (ids.length > 0) throw new ConfigurationError(describeUnreadableKeys(ids));
}
