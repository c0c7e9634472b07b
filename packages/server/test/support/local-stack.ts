import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { SandboxControlClient, type SandboxHandle, type SandboxOptions, startSandbox } from '@notifykit/sandbox';
import { type ConfigOverrides, DEVELOPMENT_DEFAULTS } from '../../src/app/config.js';
import type { ServerOptions } from '../../src/app/server.js';
import { json } from './json-body.js';
import { startTestServer, type TestServer } from './test-server.js';

/** A free TCP port on loopback (the sandbox must know the server's webhook URL before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface LocalStack {
  server: TestServer;
  sandbox: SandboxHandle;
  control: SandboxControlClient;
  close(): Promise<void>;
}

/** The real sandbox and a real server wired together: stage calls go to the sandbox, webhooks come back. */
export async function startLocalStack(options: {
  databaseUrl: string;
  sandbox?: SandboxOptions;
  serverPort?: number;
  /** Failure injection on the server's side (e.g. a fetch that loses answers). */
  serverOptions?: ServerOptions;
  /** More server configuration (e.g. a read-only token). */
  serverConfig?: ConfigOverrides;
}): Promise<LocalStack> {
  const webhookSecret = `whsec-${randomBytes(12).toString('hex')}`;
  const port = options.serverPort ?? (await freePort());
  const sandbox = await startSandbox({
    port: 0,
    db: ':memory:',
    webhookUrl: `http://127.0.0.1:${port}/webhooks/ingo`,
    webhookSecret,
    speed: 50,
    ttlMs: 60_000,
    retrySchedule: [50, 100, 200, 400, 800],
    logLevel: 'silent',
    ...(options.sandbox ?? {}),
  });
  let server: TestServer;
  try {
    server = await startTestServer({
      databaseUrl: options.databaseUrl,
      port,
      webhookSecret,
      ingoBaseUrl: sandbox.url,
      ingoUsername: DEVELOPMENT_DEFAULTS.ingoUsername,
      ingoSecret: DEVELOPMENT_DEFAULTS.ingoSecret,
      ingoParticipantId: DEVELOPMENT_DEFAULTS.ingoParticipantId,
      ...(options.serverConfig ?? {}),
      ...(options.serverOptions === undefined ? {} : { serverOptions: options.serverOptions }),
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  const control = new SandboxControlClient({
    baseUrl: sandbox.url,
    username: DEVELOPMENT_DEFAULTS.ingoUsername,
    secret: DEVELOPMENT_DEFAULTS.ingoSecret,
  });
  return {
    server,
    sandbox,
    control,
    async close() {
      await sandbox.close();
      await server.close();
    },
  };
}

/** Polls until `check` passes or the deadline expires (then returns the last value for the assertion). */
export async function eventually<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/**
 * Waits until the disbursement has `status` and every event the sandbox emitted for it is in our
 * timeline (so late or redelivered events have all landed).
 */
export async function settled(stack: LocalStack, id: string, status: string) {
  return eventually(
    async () => {
      const detail = await json(stack.server.api(`/api/v1/disbursements/${id}`));
      if (detail.status !== status || detail.notification_id === null)
        return { detail, missing: -1, sandbox: undefined };
      const sandbox = await stack.control.notification(detail.notification_id);
      const ours = new Set(
        detail.timeline
          .filter((t: { event: unknown }) => t.event !== null)
          .map((t: { event: { metadata_id: string } }) => t.event.metadata_id),
      );
      const emitted = (sandbox.events as { id: string }[]).map((e) => e.id);
      return { detail, missing: emitted.filter((e) => !ours.has(e)).length, sandbox };
    },
    (v) => v.detail.status === status && v.missing === 0,
  );
}
