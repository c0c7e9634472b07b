import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEVELOPMENT_DEFAULTS } from '../../src/app/config.js';

/** The built binary: `npm test` builds before running, so child processes run the real `notifykit-server`. */
export const SERVER_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `notifykit-server` and resolves once it printed its `listening on` line. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  return spawnListening(SERVER_BIN, args, env);
}

/**
 * Spawns a Node binary of ours (`notifykit-server`, `notifykit-sandbox`: both print one
 * `listening on <url>` line on stdout) and resolves once it listens.
 */
export function spawnListening(bin: string, args: string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(chunk);
      buffer += chunk;
      const match = /^listening on (http:\/\/\S+)$/m.exec(buffer);
      if (match) resolve({ child, url: match[1]!, stdout, stderr, exited });
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`${bin} exited (${code ?? signal}) before listening: ${stderr.join('')}`)),
    );
  });
}

/** What a `notifykit-server` process needs to run against a sandbox, with fast outbox timers for tests. */
export function serverProcessEnv(options: {
  databaseUrl: string;
  ingoBaseUrl: string;
  webhookSecret: string;
  apiToken: string;
  encryptionKey: string;
  logLevel?: string;
  /** Anything else (NOTIFYKIT_TEST_CRASH_POINT, outbox knobs ...); wins over the defaults here. */
  extra?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: options.databaseUrl,
    INGO_BASE_URL: options.ingoBaseUrl,
    INGO_USERNAME: DEVELOPMENT_DEFAULTS.ingoUsername,
    INGO_SECRET: DEVELOPMENT_DEFAULTS.ingoSecret,
    INGO_PARTICIPANT_ID: String(DEVELOPMENT_DEFAULTS.ingoParticipantId),
    INGO_WEBHOOK_SECRET: options.webhookSecret,
    NOTIFYKIT_API_TOKEN: options.apiToken,
    NOTIFYKIT_ENCRYPTION_KEY: options.encryptionKey,
    NOTIFYKIT_OUTBOX_POLL_MS: '50',
    NOTIFYKIT_OUTBOX_LEASE_MS: '400',
    NOTIFYKIT_OUTBOX_BACKOFF_MS: '50',
    LOG_LEVEL: options.logLevel ?? 'warn',
    ...(options.extra ?? {}),
  };
}

/** Runs `notifykit-server` to completion (for commands and start-up failures). */
export function runServer(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_BIN, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
