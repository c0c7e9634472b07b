import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../../../test/support/raw-socket.js';
import { json } from './support/json-body.js';
import { spawnServer } from './support/server-process.js';
import { tempDir } from './support/test-server.js';

// Malformed HTTP never reaches a route: Node's parser rejects it and Fastify logs a "client error". At
// trace level that log once carried the raw request bytes (err.rawPacket, a Buffer) and crashed the
// redaction. Sent here byte for byte to the real process at trace level.

const dir = tempDir('client-errors');
afterAll(() => dir.remove());

const MARKER = 'planted-raw-bytes-7f3a';
const MALFORMED = [
  `GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: ${MARKER}\r\n\r\n`,
  `GET /healthz?${MARKER} HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n`,
  `${MARKER} / HTTP/1.1\r\n\r\n`,
];

describe('malformed requests at LOG_LEVEL=trace', () => {
  it('get a 400, never crash the server, and never put the raw request bytes in a log line', async () => {
    const server = await spawnServer(['--port', '0', '--dev', '--database-url', `sqlite:${join(dir.path, 'c.db')}`], {
      LOG_LEVEL: 'trace',
    });
    try {
      for (const bytes of MALFORMED) {
        const answer = await sendRaw(server.url, bytes);
        expect(answer).toMatch(/^HTTP\/1\.1 400 /);
        expect(await json(fetch(`${server.url}/healthz`))).toEqual({ status: 'ok' });
      }
      expect(server.child.exitCode).toBeNull();
      const logs = server.stderr.join('');
      expect(logs).toContain('client error');
      expect(logs).not.toContain(MARKER);
      // The parser's copy of the request survives as its length only.
      expect(logs).toMatch(/"rawPacket":"\[\d+ bytes\]"/);
      // A Buffer logged as JSON is a byte array: "71,69,84" is "GET".
      expect(logs).not.toContain('71,69,84');
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
