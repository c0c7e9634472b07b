import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxControlClient } from '@notifykit/sandbox';
import { DEVELOPMENT_DEFAULTS } from '../../../src/app/config.js';
import { freePort } from '../../support/local-stack.js';
import { type ServerProcess, serverProcessEnv, spawnListening, spawnServer } from '../../support/server-process.js';

/** The sandbox's built binary (the server never imports the sandbox; its tests run it as a process). */
const SANDBOX_BIN = fileURLToPath(new URL('../../../../sandbox/dist/bin.js', import.meta.url));

/**
 * A sandbox process and any number of `notifykit-server` processes, each on a fixed port so that any
 * of them can be SIGKILLed and started again where the others expect it. The sandbox keeps its state
 * in a SQLite file (it survives a SIGKILL, as Ingo would) and retries webhooks for about a minute.
 */
export interface ProcessStack {
  control: SandboxControlClient;
  sandboxUrl: string;
  apiToken: string;
  webhookSecret: string;
  servers: ServerSlot[];
  /** Log lines (stdout and stderr) of every sandbox process so far. */
  sandboxOutput(): string;
  killSandbox(): Promise<void>;
  startSandbox(): Promise<void>;
  close(): Promise<void>;
}

export interface ServerSlot {
  url: string;
  databaseUrl: string;
  process: ServerProcess | undefined;
  /** Log lines (stdout and stderr) of every process that ran in this slot. */
  output(): string;
  kill(): Promise<void>;
  stop(signal: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
}

/** 100 ms … 2 s, then every 2 s: about 75 s of retries before the sandbox gives an event up. */
export const SANDBOX_RETRY_SCHEDULE = ['100ms', '250ms', '500ms', '1s', ...Array<string>(36).fill('2s')].join(',');

export async function startProcessStack(options: {
  dir: string;
  databaseUrls: string[];
  /** Where the sandbox POSTs webhooks; defaults to the first server. */
  webhookUrl?: string;
  sandboxPort?: number;
  serverEnv?: NodeJS.ProcessEnv;
  sandboxArgs?: string[];
  /** Secrets to use instead of generated ones (the leak scenario plants its own). */
  secrets?: { apiToken: string; webhookSecret: string; ingoSecret: string };
}): Promise<ProcessStack> {
  const apiToken = options.secrets?.apiToken ?? `rel-token-${randomBytes(12).toString('hex')}`;
  const webhookSecret = options.secrets?.webhookSecret ?? `whsec-${randomBytes(12).toString('hex')}`;
  const ingoSecret = options.secrets?.ingoSecret ?? DEVELOPMENT_DEFAULTS.ingoSecret;
  const encryptionKey = randomBytes(32).toString('base64');
  const sandboxPort = options.sandboxPort ?? (await freePort());
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const ports = await Promise.all(options.databaseUrls.map(() => freePort()));
  const webhookUrl = options.webhookUrl ?? `http://127.0.0.1:${ports[0]}/webhooks/ingo`;

  let sandbox: ServerProcess | undefined;
  const sandboxLines: string[] = [];
  const sandboxArgs = [
    '--credentials',
    `${DEVELOPMENT_DEFAULTS.ingoUsername}:${ingoSecret}:${DEVELOPMENT_DEFAULTS.ingoParticipantId}`,
    '--port',
    String(sandboxPort),
    '--db',
    join(options.dir, 'sandbox.db'),
    '--webhook-url',
    webhookUrl,
    '--webhook-secret',
    webhookSecret,
    '--speed',
    '50',
    '--ttl',
    '30d',
    '--retry-schedule',
    SANDBOX_RETRY_SCHEDULE,
    // Webhooks arrive many at a time, as from Ingo under load (the server commits them in groups).
    '--delivery-concurrency',
    '32',
    '--log-level',
    'warn',
    ...(options.sandboxArgs ?? []),
  ];

  const servers = options.databaseUrls.map((databaseUrl, i): ServerSlot => {
    const output: string[] = [];
    const slot: ServerSlot = {
      url: `http://127.0.0.1:${ports[i]}`,
      databaseUrl,
      process: undefined,
      output: () => output.join('') + (slot.process ? slot.process.stdout.join('') + slot.process.stderr.join('') : ''),
      kill: () => slot.stop('SIGKILL'),
      async stop(signal) {
        const running = slot.process;
        if (!running) return;
        slot.process = undefined;
        running.child.kill(signal);
        await running.exited;
        output.push(...running.stdout, ...running.stderr);
      },
      async start() {
        slot.process = await spawnServer(
          ['--port', String(ports[i])],
          serverProcessEnv({
            databaseUrl,
            ingoBaseUrl: sandboxUrl,
            webhookSecret,
            apiToken,
            encryptionKey,
            extra: {
              NOTIFYKIT_OUTBOX_LEASE_MS: '2000',
              INGO_SECRET: ingoSecret,
              // The sandbox is local: Ingo's 5 requests/s (the server's default pace) would make staging
              // 1,000 payouts take 200 s and measure the pace, not the guarantees.
              NOTIFYKIT_INGO_RATE: '0',
              ...(options.serverEnv ?? {}),
            },
          }),
        );
      },
    };
    return slot;
  });

  const stack: ProcessStack = {
    control: new SandboxControlClient({
      baseUrl: sandboxUrl,
      username: DEVELOPMENT_DEFAULTS.ingoUsername,
      secret: ingoSecret,
    }),
    sandboxUrl,
    apiToken,
    webhookSecret,
    servers,
    sandboxOutput: () => sandboxLines.join('') + (sandbox ? sandbox.stdout.join('') + sandbox.stderr.join('') : ''),
    async killSandbox() {
      const running = sandbox;
      sandbox = undefined;
      running?.child.kill('SIGKILL');
      await running?.exited;
      if (running) sandboxLines.push(...running.stdout, ...running.stderr);
    },
    async startSandbox() {
      sandbox = await spawnListening(SANDBOX_BIN, sandboxArgs, {});
    },
    async close() {
      for (const slot of servers) await slot.stop('SIGTERM');
      const running = sandbox;
      sandbox = undefined;
      running?.child.kill('SIGTERM');
      await running?.exited;
      if (running) sandboxLines.push(...running.stdout, ...running.stderr);
    },
  };
  await stack.startSandbox();
  for (const slot of servers) await slot.start();
  return stack;
}
