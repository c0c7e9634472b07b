import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dripRequest } from '../../../test/support/raw-socket.js';
import { loadConfig } from '../src/app/config.js';
import { unreachableIngo } from './support/stage-body.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// A client that sends its body one byte at a time holds a connection (and a parser) forever unless the
// server bounds the whole request. With a short configured timeout, a slow body and slow headers are
// answered 408 and the connection is closed by the server; the test gives up (and fails) far later.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    databaseUrl: 'sqlite::memory:',
    requestTimeoutMs: 600,
    serverOptions: { fetch: unreachableIngo, outboxWorker: false },
  });
});
afterAll(() => server?.close());

const slow = { intervalMs: 150, giveUpMs: 20_000 };

describe('request timeouts', () => {
  it('a webhook body dripped one byte at a time: 408 and the connection closed', async () => {
    const body = '{"metadata":{"id":"slow"}}'.padEnd(200, ' ');
    const head = `POST /webhooks/ingo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { answer, closedByServer } = await dripRequest(server.url, head, body, slow);
    expect(closedByServer).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('an API body dripped the same way, and headers that never end: 408, closed', async () => {
    const body = JSON.stringify({ amount: '1.00' }).padEnd(200, ' ');
    const head = `POST /api/v1/disbursements HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.apiToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const api = await dripRequest(server.url, head, body, slow);
    expect(api.closedByServer).toBe(true);
    expect(api.answer).toMatch(/^HTTP\/1\.1 408 /);
    const headers = await dripRequest(server.url, 'GET /healthz HTTP/1.1\r\n', 'X-Slow: '.padEnd(200, 'a'), slow);
    expect(headers.closedByServer).toBe(true);
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('defaults to 30 s, NOTIFYKIT_REQUEST_TIMEOUT_MS sets it, nonsense is refused', () => {
    const env = { NOTIFYKIT_ENV: 'development' };
    expect(loadConfig(env).requestTimeoutMs).toBe(30_000);
    expect(loadConfig({ ...env, NOTIFYKIT_REQUEST_TIMEOUT_MS: '5000' }).requestTimeoutMs).toBe(5000);
    expect(() => loadConfig({ ...env, NOTIFYKIT_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(/NOTIFYKIT_REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ ...env, NOTIFYKIT_REQUEST_TIMEOUT_MS: '0' })).toThrow(/NOTIFYKIT_REQUEST_TIMEOUT_MS/);
  });
});
