import { afterAll, describe, expect, it } from 'vitest';
import { dripRequest, sendRaw } from '../../../test/support/raw-socket.js';
import { type SandboxProcess, spawnSandbox } from './support/sandbox-process.js';

// Malformed HTTP is rejected by Node's parser before any route; Fastify logs it as a "client error" at
// trace level, and that log once carried the raw request bytes as a byte array that no key-based
// redaction can scrub. Sent byte for byte to the real process at trace level.

const MARKER = 'planted-raw-bytes-7f3a';
const children: SandboxProcess[] = [];
afterAll(() => {
  for (const c of children) c.child.kill('SIGKILL');
});

describe('malformed requests at --log-level trace', () => {
  it('get a 400, the sandbox keeps serving, and the raw request bytes never reach a log line', async () => {
    const sandbox = await spawnSandbox(['--port', '0', '--db', ':memory:', '--log-level', 'trace']);
    children.push(sandbox);
    for (const bytes of [
      `GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: ${MARKER}\r\n\r\n`,
      `${MARKER} / HTTP/1.1\r\n\r\n`,
    ]) {
      expect(await sendRaw(sandbox.url, bytes)).toMatch(/^HTTP\/1\.1 400 /);
      expect((await fetch(`${sandbox.url}/healthz`)).status).toBe(200);
    }
    const logs = sandbox.stderr();
    expect(logs).toContain('client error');
    expect(logs).not.toContain(MARKER);
    expect(logs).toMatch(/"rawPacket":"\[\d+ bytes\]"/);
    // A Buffer logged as JSON is a byte array: "71,69,84" is "GET".
    expect(logs).not.toContain('71,69,84');
  });
});

describe('--request-timeout', () => {
  it('a gateway body dripped one byte at a time, and headers that never end: 408 and the connection closed', async () => {
    const sandbox = await spawnSandbox(['--port', '0', '--db', ':memory:', '--request-timeout', '600ms']);
    children.push(sandbox);
    const slow = { intervalMs: 150, giveUpMs: 20_000 };
    const body = '{"amount":"1.00"}'.padEnd(200, ' ');
    const head = `POST /gateway/v3/notify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const gateway = await dripRequest(sandbox.url, head, body, slow);
    expect(gateway.closedByServer).toBe(true);
    expect(gateway.answer).toMatch(/^HTTP\/1\.1 408 /);
    const headers = await dripRequest(sandbox.url, 'GET /healthz HTTP/1.1\r\n', 'X-Slow: '.padEnd(200, 'a'), slow);
    expect(headers.closedByServer).toBe(true);
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});
