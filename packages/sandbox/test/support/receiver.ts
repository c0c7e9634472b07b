// A real webhook receiver on a real port that verifies every signature with the SDK's verifyWebhook.
// Only failure injection is simulated (a receiver told to answer 500 or to hang).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type IngoWebhookEvent, verifyWebhook, type WebhookScheme } from '@notifykit/sdk';
import { DEV_WEBHOOK_SECRET } from './dev-credentials.js';

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
