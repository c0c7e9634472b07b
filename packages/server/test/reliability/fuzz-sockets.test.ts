import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../../../../test/support/raw-socket.js';
import { tempDir } from '../support/test-server.js';
import { reportFigures } from './support/figures.js';
import { FUZZ_RUNS, fuzzOptions, text } from './support/fuzz-inputs.js';
import { type ProcessStack, startProcessStack } from './support/process-stack.js';

// Fuzzing below HTTP clients: request lines and headers as raw bytes (header names with spaces and
// colons, values with NULs and control characters, broken request targets) sent over TCP to the real
// server and sandbox processes at trace level. Every request gets an answer below 500 (a refusal a
// 4xx, JSON when it has a body), neither process dies, and no log line holds the raw bytes.

const dir = tempDir('reliability-fuzz-sockets');
let stack: ProcessStack;
beforeAll(async () => {
  stack = await startProcessStack({
    dir: dir.path,
    databaseUrls: [`sqlite:${dir.path}/sockets.db`],
    serverEnv: { LOG_LEVEL: 'trace' },
    sandboxArgs: ['--log-level', 'trace'],
  });
});
afterAll(async () => {
  await stack?.close();
  dir.remove();
});

/** Header text without CR/LF (those would end the header, which the request-line cases cover). */
const headerText = text.map((t) => t.replace(/[\r\n]/g, ''));
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'G\u0000T', 'get'),
  target: fc.oneof(
    fc.constantFrom('/healthz', '/api/v1/disbursements', '/webhooks/ingo', '/gateway/v3/notify', '/_sandbox/clock'),
    headerText.map((t) => `/api/v1/events?topic=${t.replace(/ /g, '%20')}`),
    headerText.map((t) => t.replace(/ /g, '')),
  ),
  // Known header names half the time, so generated values reach the routes, not only the parser.
  headers: fc.array(
    fc.tuple(
      fc.oneof(headerText, fc.constantFrom('content-type', 'authorization', 'x-ingo-signature', 'x-date', 'accept')),
      headerText,
    ),
    { maxLength: 4 },
  ),
  body: fc.option(headerText),
});

for (const target of ['server', 'sandbox'] as const) {
  describe(`raw requests to the ${target} process at trace level`, () => {
    it(`${FUZZ_RUNS} generated request lines and headers: an answer below 500, the process alive`, async () => {
      const url = target === 'server' ? stack.servers[0]!.url : stack.sandboxUrl;
      const tally = { cases: 0, refused: 0, noBody: 0 };
      const statuses: Record<number, number> = {};
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const body = r.body ?? '';
          const head = [
            `${r.method} ${r.target} HTTP/1.1`,
            'Host: 127.0.0.1',
            'Connection: close',
            ...r.headers.map(([name, value]) => `${name}: ${value}`),
            ...(r.body === null ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]),
          ].join('\r\n');
          const answer = await sendRaw(url, `${head}\r\n\r\n${body}`, 3000);
          tally.cases += 1;
          const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);
          statuses[status] = (statuses[status] ?? 0) + 1;
          expect(status, `no answer to ${JSON.stringify(head)}`).toBeGreaterThan(0);
          expect(status, `${JSON.stringify(head)} → ${answer.slice(0, 300)}`).toBeLessThan(500);
          if (status >= 400) {
            tally.refused += 1;
            const payload = answer.slice(answer.indexOf('\r\n\r\n') + 4);
            if (payload === '') tally.noBody += 1;
            else expect(() => JSON.parse(payload), `${status} body is JSON: ${payload.slice(0, 200)}`).not.toThrow();
          }
        }),
        fuzzOptions(target === 'server' ? 21 : 22),
      );
      const output = target === 'server' ? stack.servers[0]!.output() : stack.sandboxOutput();
      reportFigures(`fuzz/sockets/${target}`, {
        sent: tally.cases,
        acknowledged: tally.cases - tally.refused,
        applied: 0,
        lost: 0,
        appliedTwice: 0,
        convergeMs: 0,
        refused4xx: tally.refused,
        refusedWithoutBody: tally.noBody,
        statuses: JSON.stringify(statuses),
      });
      expect(stack.servers[0]!.process?.child.exitCode ?? null, 'the server is alive').toBeNull();
      expect(output).not.toMatch(/TypeError|uncaught/i);
      expect(output, 'raw request bytes in a log line').not.toMatch(/"rawPacket":\s*[[{]|\[(\d{1,3},){16}/);
    });
  });
}
