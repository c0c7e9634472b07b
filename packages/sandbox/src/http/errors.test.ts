// The one error handler, on a real port: a thrown SandboxHttpError is sent exactly as thrown; what no
// route threw (a body over the limit, Fastify's own 4xx, an unknown route, a bug) is worded in the
// format of the path's route family, and a bug's message is logged, never sent.

import type { AddressInfo } from 'node:net';
import type { FastifyError, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_ROUTES } from '../gateway/routes.js';
import { jsonError, type RouteFamily, SandboxHttpError } from './errors.js';
import { createHttpServer } from './server.js';

const BUG_DETAIL = 'bug detail with a s3cret in it';

const TEST_FAMILY: RouteFamily = {
  pathPrefix: '/family/',
  failure: (httpStatus, message) => new SandboxHttpError(httpStatus, { family: true, httpStatus, message }),
  unavailable: new Map([['/family/later', 'not in this version']]),
};

let app: FastifyInstance;
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  app = createHttpServer(logger, [GATEWAY_ROUTES, TEST_FAMILY], { requestTimeoutMs: 30_000 });
  app.get('/thrown', async () => {
    throw new SandboxHttpError(418, { teapot: true }, { 'x-reason': 'short and stout' });
  });
  app.get('/json-error', async () => {
    throw jsonError(409, 'conflict_here', 'it conflicts', { state: 'funded' });
  });
  app.get('/bug', async () => {
    throw new Error(BUG_DETAIL);
  });
  app.get('/family/bug', async () => {
    throw new Error(BUG_DETAIL);
  });
  app.get('/gateway/bug', async () => {
    throw new Error(BUG_DETAIL);
  });
  app.get('/fastify-4xx', async () => {
    throw Object.assign(new Error('what Fastify says'), { statusCode: 400, code: 'FST_ERR_SOMETHING' }) as FastifyError;
  });
  for (const path of ['/upload', '/family/upload']) app.post(path, async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
});

async function call(path: string, init?: RequestInit) {
  const response = await fetch(`${base}${path}`, init);
  return { status: response.status, headers: response.headers, json: (await response.json()) as unknown };
}

describe('thrown on purpose', () => {
  it('sends a SandboxHttpError exactly: status, body and headers', async () => {
    const response = await call('/thrown');
    expect(response.status).toBe(418);
    expect(response.json).toEqual({ teapot: true });
    expect(response.headers.get('x-reason')).toBe('short and stout');
  });

  it('jsonError is {error: {code, message}} with its context fields beside it', async () => {
    expect(await call('/json-error')).toMatchObject({
      status: 409,
      json: { error: { code: 'conflict_here', message: 'it conflicts' }, state: 'funded' },
    });
  });
});

describe('not thrown on purpose', () => {
  it('a bug is a 500 that says nothing of it; the log has the detail', async () => {
    const response = await call('/bug');
    expect(response).toMatchObject({ status: 500, json: { error: { code: 'internal', message: 'Internal error' } } });
    expect(JSON.stringify(response.json)).not.toContain('s3cret');
    const logged = logLines.map((line) => JSON.parse(line) as { msg: string; err?: { message: string } });
    expect(logged.find((l) => l.msg === 'unhandled error')?.err?.message).toBe(BUG_DETAIL);
  });

  it('is worded by the route family of the path: the gateway answers in its envelope', async () => {
    expect(await call('/family/bug')).toMatchObject({
      status: 500,
      json: { family: true, httpStatus: 500, message: 'Internal error' },
    });
    const gateway = await call('/gateway/bug');
    expect(gateway.status).toBe(500);
    expect(gateway.json).toEqual({ status: 600, client_message: 'Internal error', data: {}, time: '0.00' });
  });

  it("passes Fastify's own 4xx on with its status and message", async () => {
    expect(await call('/fastify-4xx')).toMatchObject({
      status: 400,
      json: { error: { code: 'bad_request', message: 'what Fastify says' } },
    });
  });

  it('refuses a body over 64 KiB with 413, in the format of the path', async () => {
    const init = { method: 'POST', body: 'x'.repeat(64 * 1024 + 1), headers: { 'content-type': 'text/plain' } };
    expect(await call('/upload', init)).toMatchObject({
      status: 413,
      json: { error: { code: 'bad_request', message: 'Request body is larger than 65536 bytes' } },
    });
    expect(await call('/family/upload', init)).toMatchObject({
      status: 413,
      json: { family: true, message: 'Request body is larger than 65536 bytes' },
    });
    expect((await call('/upload', { ...init, body: 'x'.repeat(64 * 1024) })).status).toBe(200);
  });

  it('answers an unknown route with 404 not_found, and a path the family lists as unavailable with its message', async () => {
    expect(await call('/nowhere?x=1')).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found', message: 'No route GET /nowhere' } },
    });
    expect(await call('/family/later', { method: 'POST' })).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found', message: 'not in this version' } },
    });
  });
});
