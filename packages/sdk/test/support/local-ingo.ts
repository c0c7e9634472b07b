// One local Ingo per test file (a real HTTP server that verifies every signature) and IngoClients
// pointed at it, with tiny retry delays so retry tests stay fast.

import { afterAll, beforeAll } from 'vitest';
import { IngoClient, type IngoClientOptions, type StageInput } from '../../src/client/ingo-client.js';
import { exampleStage } from './example-requests.js';
import { type IngoTestServer, startIngoTestServer } from './ingo-test-server.js';

export const USERNAME = 'notifykit-test';
export const SECRET = 'S3CRET-PLANTED-7f3a9c1e2b';

export interface LocalIngo {
  /** The running server; usable inside tests and hooks (it starts in `beforeAll`). */
  server: IngoTestServer;
  /** A client for USERNAME/SECRET pointed at the server. */
  client(options?: Partial<IngoClientOptions>): IngoClient;
  /** A valid stage body without participant_id, with a fresh idempotency key. */
  stageInput(overrides?: Record<string, unknown>): StageInput;
  /** A fresh idempotency key per test, so the server's memory never couples tests. */
  uid(prefix?: string): string;
  /** Requests the server received during `run`, with its value or error. */
  received<T>(
    run: () => Promise<T>,
  ): Promise<{ value: T | undefined; error: unknown; requests: IngoTestServer['requests'] }>;
}

/** Starts a local Ingo for the calling test file (beforeAll) and stops it afterwards (afterAll). */
export function useLocalIngo(): LocalIngo {
  let live: IngoTestServer | undefined;
  beforeAll(async () => {
    live = await startIngoTestServer({ [USERNAME]: SECRET });
  });
  afterAll(async () => {
    await live?.close();
  });
  const current = (): IngoTestServer => {
    if (live === undefined) throw new Error('the local Ingo starts in beforeAll: use it inside a test');
    return live;
  };
  const server: IngoTestServer = {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    enqueue: (...behaviors) => current().enqueue(...behaviors),
    close: () => current().close(),
  };

  let counter = 0;
  const uid = (prefix = 'pay') => `${prefix}-${Date.now()}-${++counter}`;

  function client(options: Partial<IngoClientOptions> = {}) {
    return new IngoClient({
      username: USERNAME,
      secret: SECRET,
      participantId: 12345,
      baseUrl: server.url,
      retry: { initialDelayMs: 1, maxDelayMs: 5 },
      ...options,
    });
  }

  function stageInput(overrides: Record<string, unknown> = {}): StageInput {
    const { participant_id: _ignored, ...rest } = exampleStage({ participant_unique_id1: uid(), ...overrides });
    return rest as unknown as StageInput;
  }

  async function received<T>(run: () => Promise<T>) {
    const before = server.requests.length;
    const outcome = await run().then(
      (value) => ({ value, error: undefined as unknown }),
      (error: unknown) => ({ value: undefined, error }),
    );
    return { ...outcome, requests: server.requests.slice(before) };
  }

  return { server, client, stageInput, uid, received };
}
