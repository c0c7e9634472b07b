// A small, real Ingo gateway for client tests: a node:http server on a free port that verifies every
// request's signature with verifyRequestSignature, answers stage/cancel/checks/managed-stage like Ingo
// (idempotency included) and misbehaves on demand, one queued behaviour per incoming request.

import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureVerificationError, ValidationError } from '../../src/errors.js';
import { validateCancelRequest } from '../../src/requests/cancel.js';
import { validateCheckCancelRequest, validateCheckStopRequest } from '../../src/requests/check.js';
import { validateManagedStageRequest } from '../../src/requests/managed-stage.js';
import { validateStageRequest } from '../../src/requests/stage.js';
import { type VerifiedSignature, verifyRequestSignature } from '../../src/signing/verify-request.js';

export interface RecordedRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  verification: VerifiedSignature | SignatureVerificationError;
}

/** Handles one request instead of the default gateway; return without answering to let it hang. */
export type Behavior = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface IngoTestServer {
  url: string;
  requests: RecordedRequest[];
  /** Queues behaviours for the next requests, in order; afterwards the normal gateway answers. */
  enqueue(...behaviors: Behavior[]): void;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, httpStatus: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.destroyed) return;
  res.writeHead(httpStatus, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export const behaviors = {
  json:
    (httpStatus: number, body: unknown, headers?: Record<string, string>): Behavior =>
    (_req, res) =>
      sendJson(res, httpStatus, body, headers),
  text:
    (httpStatus: number, text: string): Behavior =>
    (_req, res) => {
      res.writeHead(httpStatus, { 'content-type': 'text/html' });
      res.end(text);
    },
  reset: (): Behavior => (_req, res) => {
    res.socket?.destroy();
  },
  /** Does what the request asks (stage, cancel…), then drops the connection: the answer is lost. */
  actsThenDrops: (): Behavior => async (req, res) => {
    const discard = { destroyed: false, writeHead: () => discard, end: () => discard } as unknown as ServerResponse;
    await gatewayBehavior(req, discard);
    res.socket?.destroy();
  },
  /** Answers normally, but only after `ms`. */
  slow:
    (ms: number, then: Behavior = gatewayBehavior): Behavior =>
    async (req, res) => {
      await new Promise((r) => setTimeout(r, ms));
      if (!res.destroyed) await then(req, res);
    },
  /** Waits until the wall clock has moved past the request's X-Date second, then answers. */
  afterDateTicks:
    (then: Behavior): Behavior =>
    async (req, res) => {
      while (new Date().toUTCString() === req.headers['x-date']) await new Promise((r) => setTimeout(r, 25));
      await then(req, res);
    },
};

interface Staged {
  notificationId: number;
  data: Record<string, unknown>;
  canceled: boolean;
  cancelData?: Record<string, unknown>;
  /** Answers of the check API by path, once acted on (a repeat answers 101 with the same data). */
  checkActions: Map<string, Record<string, unknown>>;
}

let nextNotificationId = 9_000_000;
const staged = new Map<string, Staged>();

function validationFailure(res: ServerResponse, error: unknown) {
  if (!(error instanceof ValidationError)) throw error;
  sendJson(res, 400, { status: 600, client_message: error.message, data: {}, time: '0.01' });
}

/** The well-behaved gateway: stage (100, then 101 with the same data), cancel, check void/stop, managed stage. */
const gatewayBehavior: Behavior = (req, res) => {
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return sendJson(res, 400, { status: 600, client_message: 'body is not JSON', data: {} });
  }
  const path = new URL(req.url, 'http://x').pathname.replace(/^.*(?=\/gateway\/)/, '');
  try {
    if (path === '/gateway/v3/notify') {
      const stage = validateStageRequest(body);
      const key = `${stage.participant_id}:${stage.participant_unique_id1}`;
      const existing = staged.get(key);
      if (existing) {
        return sendJson(res, 200, {
          status: 101,
          client_message: 'Success - Idempotent Response',
          data: existing.data,
          time: '0.01',
        });
      }
      const notificationId = nextNotificationId++;
      const data = {
        notification_id: notificationId,
        tracer_id: stage.tracer_id ?? '',
        participant_unique_id1: stage.participant_unique_id1,
        participant_unique_id2: stage.participant_unique_id2 ?? '',
        request_timestamp: Math.floor(Date.now() / 1000),
      };
      staged.set(key, { notificationId, data, canceled: false, checkActions: new Map() });
      return sendJson(res, 200, { status: 100, client_message: 'Success', data, time: '0.02' });
    }
    if (path === '/gateway/v3/notifycancel') {
      const cancel = validateCancelRequest(body);
      const found = staged.get(`${cancel.participant_id}:${cancel.participant_unique_id1}`);
      if (!found || found.data.tracer_id !== cancel.tracer_id) {
        return sendJson(res, 200, { status: 782, client_message: 'Notification not found', data: {} });
      }
      if (found.canceled) {
        return sendJson(res, 200, {
          status: 101,
          client_message: 'Success - Idempotent Response',
          data: found.cancelData,
        });
      }
      found.canceled = true;
      found.cancelData = {
        notification_id: String(found.notificationId),
        participant_unique_id1: cancel.participant_unique_id1,
        tracer_id: cancel.tracer_id,
        request_timestamp: Math.floor(Date.now() / 1000),
      };
      return sendJson(res, 200, {
        status: 100,
        client_message: 'Disbursement Request Canceled',
        data: found.cancelData,
      });
    }
    if (path === '/gateway/checkcancel' || path === '/gateway/checkstop') {
      // The check API answers in `status_code` (docs/ingo-contract.md §4.1).
      const check = path === '/gateway/checkcancel' ? validateCheckCancelRequest(body) : validateCheckStopRequest(body);
      const found = staged.get(`${check.participant_id}:${check.participant_unique_id1}`);
      if (!found || found.data.tracer_id !== check.tracer_id) {
        return sendJson(res, 200, { status_code: 782, client_message: 'Notification not found', data: {} });
      }
      const earlier = found.checkActions.get(path);
      if (earlier) {
        return sendJson(res, 200, { status_code: 101, client_message: 'Success - Idempotent Response', data: earlier });
      }
      const data = {
        notification_id: String(found.notificationId),
        participant_unique_id1: check.participant_unique_id1,
        tracer_id: check.tracer_id,
        check_number: check.check_number ?? '1010101010',
        reason_code: String(check.reason_code),
        request_timestamp: Math.floor(Date.now() / 1000),
      };
      found.checkActions.set(path, data);
      const message = path === '/gateway/checkcancel' ? 'Check Canceled' : 'Check Stopped';
      return sendJson(res, 200, { status_code: 100, client_message: message, data });
    }
    if (path === '/gateway/v4/notify') {
      const managed = validateManagedStageRequest(body);
      const notificationId = nextNotificationId++;
      // A v4 payout is canceled through the v3 notifycancel, so it is findable there (ingo-api §5).
      staged.set(
        `${managed.request.participant_id}:${managed.transaction.participant_unique_ids.participant_unique_id1}`,
        {
          notificationId,
          data: { tracer_id: managed.transaction.tracer_id ?? '' },
          canceled: false,
          checkActions: new Map(),
        },
      );
      return sendJson(res, 200, {
        request: managed.request,
        response: { status: '100', message: 'Success', duration: '0' },
        transaction: {
          participant_unique_ids: {
            participant_unique_id1: managed.transaction.participant_unique_ids.participant_unique_id1,
            participant_unique_id2: managed.transaction.participant_unique_ids.participant_unique_id2 ?? '',
          },
          notification_id: String(notificationId),
          tracer_id: managed.transaction.tracer_id ?? '',
          parties: managed.transaction_parties.map((p, i) => ({
            client_provided_id: p.settings.client_provided_id,
            party_id: `00000000-0000-4000-8000-${String(notificationId * 10 + i).padStart(12, '0')}`,
            role: p.settings.role,
          })),
        },
      });
    }
  } catch (error) {
    return validationFailure(res, error);
  }
  sendJson(res, 404, { message: 'no route' });
};

export async function startIngoTestServer(credentials: Record<string, string>): Promise<IngoTestServer> {
  const requests: RecordedRequest[] = [];
  const queue: Behavior[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let verification: VerifiedSignature | SignatureVerificationError;
    try {
      verification = verifyRequestSignature(
        { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, httpVersion: req.httpVersion },
        { secrets: (username) => credentials[username] },
      );
    } catch (error) {
      if (!(error instanceof SignatureVerificationError)) throw error;
      verification = error;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: req.headers,
      body,
      verification,
    };
    requests.push(recorded);
    if (verification instanceof SignatureVerificationError) {
      return sendJson(res, 401, { message: verification.message }, { 'www-authenticate': 'hmac' });
    }
    const behavior = queue.shift() ?? gatewayBehavior;
    await behavior(recorded, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...more) => queue.push(...more),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
