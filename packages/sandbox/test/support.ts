// Test support: a real webhook receiver, a real sandbox child process, signed raw requests and polling.
// Only failure injection is simulated (a receiver told to answer 500 or to hang); everything else is real.

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type IngoWebhookEvent,
  type StageRequest,
  signRequest,
  verifyWebhook,
  type WebhookScheme,
} from '@notifykit/sdk';

export const DEV = { username: 'dev', secret: 'dev-secret-not-for-production', participantId: 12345 } as const;
export const DEV_OTAC = {
  username: 'dev-otac',
  secret: 'dev-otac-secret-not-for-production',
  participantId: 12346,
} as const;
export const DEV_WEBHOOK_SECRET = 'dev-webhook-secret-not-for-production';

/** The sensitive answer in test stage requests: distinctive, so a leak cannot hide in a timestamp. */
export const CLIENT_PROVIDED_VALUE = 'cpv-secret-6789';

export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export function tempDir(prefix = 'nk-sandbox-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 10_000, intervalMs = 20, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// --- a real webhook receiver ----------------------------------------------------------------------

export interface ReceivedWebhook {
  event: IngoWebhookEvent;
  body: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export type ReceiverBehavior = (hit: { body: string; count: number }) => number | 'hang';

export interface Receiver {
  url: string;
  /** Verified webhooks in arrival order, duplicates included. */
  received: ReceivedWebhook[];
  /** Requests whose signature did not verify. */
  rejected: number;
  /** Every request, whatever the answer. */
  hits: number;
  /** `metadata.id` and the answer given, for every request. */
  attempts: { id: string; answer: number | 'hang' }[];
  behave(behavior: ReceiverBehavior): void;
  /** Topics per notification id, in arrival order, first delivery of each metadata.id only. */
  topicsOf(notificationId: string | number): string[];
  close(): Promise<void>;
}

export async function startReceiver(secret = DEV_WEBHOOK_SECRET, scheme?: WebhookScheme): Promise<Receiver> {
  let behavior: ReceiverBehavior = () => 200;
  const hanging = new Set<ServerResponse>();
  const receiver: Receiver = {
    url: '',
    received: [],
    rejected: 0,
    hits: 0,
    attempts: [],
    behave: (b) => {
      behavior = b;
    },
    topicsOf: (notificationId) => {
      const seen = new Set<string>();
      const topics: string[] = [];
      for (const r of receiver.received) {
        if (r.event.notificationId !== String(notificationId) || seen.has(r.event.id)) continue;
        seen.add(r.event.id);
        topics.push(r.event.topic);
      }
      return topics;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      receiver.hits++;
      const body = Buffer.concat(chunks).toString('utf8');
      const answer = behavior({ body, count: receiver.hits });
      let id = '';
      try {
        id = String((JSON.parse(body) as { metadata?: { id?: unknown } }).metadata?.id ?? '');
      } catch {
        id = '';
      }
      receiver.attempts.push({ id, answer });
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      if (answer >= 200 && answer < 300) {
        let event: IngoWebhookEvent;
        try {
          event = verifyWebhook({
            rawBody: Buffer.concat(chunks),
            headers: req.headers as Record<string, string>,
            secrets: secret,
            ...(scheme ? { scheme } : {}),
          });
        } catch {
          receiver.rejected++;
          res.writeHead(401).end();
          return;
        }
        receiver.received.push({ event, body, headers: req.headers, at: Date.now() });
      }
      res.writeHead(answer, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/ingo`;
  return receiver;
}

// --- a real sandbox process -----------------------------------------------------------------------

export interface SandboxProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnSandbox(args: readonly string[], { timeoutMs = 15_000 } = {}): Promise<SandboxProcess> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx tsc -b packages/sandbox)`);
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
  });
  child.stderr.on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await Promise.race([
    waitFor(() => /listening on (http:\/\/\S+)\n/.exec(out)?.[1], { timeoutMs, what: 'the listening line' }),
    exited.then(({ code }) => {
      throw new Error(`sandbox exited with ${code} before listening: ${err}`);
    }),
  ]);
  return { url, child, stdout: () => out, stderr: () => err, exited };
}

// --- signed raw requests (for what IngoClient would refuse to send) ------------------------------

export interface RawResponse {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

export async function signedPost(
  baseUrl: string,
  path: string,
  body: unknown,
  options: {
    credential?: { username: string; secret: string };
    /** Change headers after signing (failure injection). */
    tamper?: (headers: Record<string, string>) => void;
    rawBody?: string;
    /** Bytes actually sent, when they must differ from what was signed (failure injection). */
    sendBody?: string;
  } = {},
): Promise<RawResponse> {
  const credential = options.credential ?? DEV;
  const text = options.rawBody ?? JSON.stringify(body);
  const { headers } = signRequest({
    method: 'POST',
    path,
    body: text,
    username: credential.username,
    secret: credential.secret,
  });
  options.tamper?.(headers);
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: options.sendBody ?? text });
  const raw = await response.text();
  return { status: response.status, headers: response.headers, json: raw === '' ? {} : JSON.parse(raw) };
}

/** A valid v3 stage body for the dev credential (overrides may make it invalid on purpose). */
export function stageBody(
  overrides: Record<string, unknown> = {},
  recipient: Record<string, unknown> = {},
): StageRequest {
  return {
    participant_id: DEV.participantId,
    amount: '250.00',
    participant_unique_id1: `pay-${Math.random().toString(36).slice(2)}`,
    tracer_id: 'trc-1',
    recipient: { first_name: 'Alex', last_name: 'Rivera', email: 'alex@example.com', ...recipient },
    authentication_records: [
      {
        field_label: 'Last 4 SSN',
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        value_format: 'XXXX',
        client_provided_value: CLIENT_PROVIDED_VALUE,
      },
    ],
    ...overrides,
  } as StageRequest;
}
