import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type ConfigOverrides, loadConfig } from '../../src/app/config.js';
import { type RunningServer, type ServerOptions, startServer } from '../../src/app/server.js';
import { unreachableIngo } from './stage-body.js';
import type { TestDatabaseFactory } from './test-databases.js';

export interface TestServer extends RunningServer {
  apiToken: string;
  webhookSecret: string;
  /** Every log line written so far. */
  logs: string[];
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** A captured log destination: pino writes whole lines. */
export function captureLogs(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(line);
      callback();
    },
  });
  return { lines, stream };
}

export function tempDir(label: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `notifykit-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface TestServerOptions extends ConfigOverrides {
  serverOptions?: ServerOptions;
  env?: NodeJS.ProcessEnv;
}

/** A real server on a free port with fresh secrets; the database URL decides SQLite or PostgreSQL. */
export async function startTestServer(options: TestServerOptions & { databaseUrl: string }): Promise<TestServer> {
  const apiToken = options.apiToken ?? `test-token-${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.webhookSecret ?? `whsec-${randomBytes(12).toString('hex')}`;
  const { serverOptions, env, ...overrides } = options;
  const config = loadConfig(
    { NOTIFYKIT_ENV: 'development', ...(env ?? {}) },
    {
      port: 0,
      apiToken,
      webhookSecret,
      ingoBaseUrl: 'http://127.0.0.1:9',
      encryptionKey: randomBytes(32).toString('base64'),
      logLevel: 'info',
      ...overrides,
      outbox: { pollIntervalMs: 50, leaseMs: 2000, baseBackoffMs: 50, maxBackoffMs: 500, ...(overrides.outbox ?? {}) },
    },
  );
  const logs = captureLogs();
  const running = await startServer(config, { logDestination: logs.stream, ...(serverOptions ?? {}) });
  return {
    ...running,
    apiToken,
    webhookSecret,
    logs: logs.lines,
    api(path, init = {}) {
      const { json, headers, ...rest } = init;
      return fetch(`${running.url}${path}`, {
        ...rest,
        headers: {
          authorization: `Bearer ${apiToken}`,
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...((headers as Record<string, string>) ?? {}),
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
    close: () => running.close(),
  };
}

/**
 * A test server on a fresh database with Ingo unreachable and no outbox worker, so disbursements stay
 * pending and every row a test sees is one it made; `close()` also drops the database.
 */
export async function startOfflineServer(
  database: TestDatabaseFactory,
  overrides: Omit<TestServerOptions, 'serverOptions'> = {},
): Promise<TestServer> {
  const db = await database();
  const server = await startTestServer({
    ...overrides,
    databaseUrl: db.url,
    serverOptions: { fetch: unreachableIngo, outboxWorker: false },
  });
  return {
    ...server,
    close: async () => {
      await server.close();
      await db.cleanup();
    },
  };
}
