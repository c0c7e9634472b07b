import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../../../../test/support/raw-socket.js';
import { requirePostgresUnlessLocal } from '../support/postgres.js';
import { stageBody } from '../support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from '../support/test-databases.js';
import { tempDir } from '../support/test-server.js';
import { deliverWebhook, webhookPayload } from '../support/webhook-delivery.js';
import { awaitConvergence } from './support/convergence.js';
import { reportFigures } from './support/figures.js';
import { type ProcessStack, startProcessStack } from './support/process-stack.js';

// Leak: every flow (staging, webhooks in, reads, search, cancel, refusals of all kinds) at trace level
// on the server and the sandbox, with planted values: the Ingo secret, the webhook secret, the API
// token, an SSN-like and a date-of-birth client_provided_value, an email and a phone number. None of
// them may appear in plain text in any log line, any error response, or the server's raw database
// (the SQLite files with their WAL, or a pg_dump).

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('reliability-leak');
afterAll(() => dir.remove());

const tag = randomBytes(3).toString('hex');
const PLANTED = {
  ingoSecret: `ingo-secret-planted-${tag}`,
  webhookSecret: `whsec-planted-${tag}`,
  apiToken: `api-token-planted-${tag}`,
  ssn: '987-65-4321',
  dob: '03/14/1987',
  email: `planted.${tag}@example.com`,
  phone: '5125557391',
};

/** A stage body carrying every planted recipient value. */
function plantedStage(puid1: string) {
  const body = stageBody({ puid1, email: PLANTED.email });
  return {
    ...body,
    recipient: { ...body.recipient, mobile: PLANTED.phone },
    authentication_records: [
      {
        ...body.authentication_records[0]!,
        field_label: 'SSN',
        value_format: 'XXX-XX-XXXX',
        client_provided_value: PLANTED.ssn,
      },
      {
        field_label: 'Date of birth',
        field_order: 2,
        validation_type: 1,
        match_failure_type: 1,
        value_format: 'MM/DD/YYYY',
        client_provided_value: PLANTED.dob,
      },
    ],
  };
}

/** Which planted values occur in `haystack` (as they are, and as JSON would escape them). */
function hits(haystack: string): string[] {
  return Object.entries(PLANTED)
    .filter(([, value]) => haystack.includes(value) || haystack.includes(JSON.stringify(value).slice(1, -1)))
    .map(([name]) => name);
}

/** Every flow a user or Ingo can start; returns the text of every refusal (4xx/5xx) it got. */
async function everyFlow(stack: ProcessStack): Promise<{ refusals: string[]; requests: number }> {
  const base = stack.servers[0]!.url;
  const refusals: string[] = [];
  let requests = 0;
  const call = async (path: string, init: RequestInit = {}, token = stack.apiToken) => {
    requests += 1;
    const response = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
    });
    const text = await response.text();
    if (response.status >= 400) refusals.push(`${response.status}: ${text}`);
    return { status: response.status, text };
  };
  // Staging (happy path and a bouncing recipient), the same key again, and a key reused with other data.
  const ok = await call('/api/v1/disbursements', {
    method: 'POST',
    body: JSON.stringify(plantedStage(`leak-${tag}-1`)),
  });
  expect(ok.status).toBe(201);
  const id = JSON.parse(ok.text).id as string;
  await call('/api/v1/disbursements', { method: 'POST', body: JSON.stringify(plantedStage(`leak-${tag}-1`)) });
  await call('/api/v1/disbursements', {
    method: 'POST',
    body: JSON.stringify({ ...plantedStage(`leak-${tag}-1`), amount: '999.00' }),
  });
  const idle = plantedStage(`leak-${tag}-2`);
  const staged = await call('/api/v1/disbursements', {
    method: 'POST',
    body: JSON.stringify({ ...idle, recipient: { ...idle.recipient, email: `planted.${tag}+idle@example.com` } }),
  });
  // Refusals that carry the planted values in what they refuse.
  const bad = plantedStage(`leak-${tag}-3`);
  await call('/api/v1/disbursements', { method: 'POST', body: JSON.stringify({ ...bad, amount: PLANTED.ssn }) });
  await call('/api/v1/disbursements', {
    method: 'POST',
    body: JSON.stringify({ ...bad, recipient: { ...bad.recipient, email: PLANTED.phone, mobile: PLANTED.email } }),
  });
  await call('/api/v1/disbursements', { method: 'POST', body: `{"broken": "${PLANTED.ssn}" ${PLANTED.dob}` });
  await call('/api/v1/disbursements', {
    method: 'POST',
    body: JSON.stringify(bad),
    headers: { 'content-type': 'text/plain' },
  });
  await call('/api/v1/disbursements', { method: 'POST', body: JSON.stringify(bad) }, `${PLANTED.apiToken}x`);
  await call('/api/v1/disbursements', {
    method: 'POST',
    body: JSON.stringify(bad),
    headers: { 'idempotency-key': PLANTED.ssn },
  });
  // Reads: list, search, detail (its stored request is shown redacted), events, stats, metrics, a 404.
  await call('/api/v1/disbursements?limit=5');
  await call(`/api/v1/disbursements?q=${encodeURIComponent('Jane')}`);
  await call(`/api/v1/disbursements/${id}`);
  await call(`/api/v1/disbursements/dsb_${PLANTED.ssn}`);
  await call('/api/v1/events?limit=50');
  await call('/api/v1/stats');
  await call('/metrics');
  // Cancel the idle one (the sandbox answers), then check actions it cannot take.
  if (staged.status === 201) {
    const idleId = JSON.parse(staged.text).id as string;
    await call(`/api/v1/disbursements/${idleId}/cancel`, { method: 'POST' });
    await call(`/api/v1/disbursements/${idleId}/check/void`, { method: 'POST', body: '{"reason_code": 75}' });
  }
  // Webhooks: forged, with a bad body, and a good one about nobody we know (an orphan).
  const orphan = webhookPayload({ topic: 'transaction.recipient.notification.status.sent', puid1: `nobody-${tag}` });
  for (const [raw, secret] of [
    [orphan, `${PLANTED.webhookSecret}-wrong`],
    [`{"metadata": "${PLANTED.ssn}"`, PLANTED.webhookSecret],
    [orphan, PLANTED.webhookSecret],
  ] as const) {
    requests += 1;
    const response = await deliverWebhook(base, raw, secret);
    const text = await response.text();
    if (response.status >= 400) refusals.push(`${response.status}: ${text}`);
  }
  // Requests Node's HTTP parser refuses, carrying planted values (both servers log client errors).
  for (const url of [base, stack.sandboxUrl]) {
    for (const raw of [
      `GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: ${PLANTED.apiToken}\r\n\r\n`,
      `POST /webhooks/ingo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nX-Ingo-Signature: ${PLANTED.webhookSecret}\u0000\r\n\r\n${PLANTED.ssn}`,
    ]) {
      requests += 1;
      const answer = await sendRaw(url, raw);
      if (!/^HTTP\/1\.1 2/.test(answer)) refusals.push(answer);
    }
  }
  return { refusals, requests };
}

/** The server's database as stored: SQLite's files (WAL included) or a pg_dump of the database. */
function rawDatabase(databaseUrl: string, stackDir: string): string {
  if (databaseUrl.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length);
    const folder = join(file, '..');
    return readdirSync(folder)
      .filter((f) => f.startsWith(file.slice(folder.length + 1)))
      .map((f) => readFileSync(join(folder, f)).toString('latin1'))
      .join('\n');
  }
  void stackDir;
  return execFileSync('pg_dump', ['--no-owner', databaseUrl], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function leakScenario(name: 'SQLite' | 'PostgreSQL', database: TestDatabaseFactory) {
  describe(`leak on ${name}`, () => {
    it('planted secrets and recipient data appear in no log line, error response or raw database file', async () => {
      const db = await database();
      const stackDir = tempDir(`leak-${name}`);
      const stack = await startProcessStack({
        dir: stackDir.path,
        databaseUrls: [db.url],
        secrets: { apiToken: PLANTED.apiToken, webhookSecret: PLANTED.webhookSecret, ingoSecret: PLANTED.ingoSecret },
        serverEnv: { LOG_LEVEL: 'trace' },
        sandboxArgs: ['--log-level', 'trace'],
      });
      try {
        const { refusals, requests } = await everyFlow(stack);
        // Let the sandbox's webhooks for the staged payout land too (they are logged as they arrive).
        await awaitConvergence(stack, db.url, [`leak-${tag}-1`], 30_000);
        await stack.close();
        const logs = `${stack.servers[0]!.output()}\n${stack.sandboxOutput()}`;
        const logLines = logs.split('\n').filter((l) => l.trim() !== '');
        const raw = rawDatabase(db.url, stackDir.path);
        const found = {
          logs: logLines.flatMap((line) => hits(line).map((h) => `${h}: ${line.slice(0, 300)}`)),
          responses: refusals.flatMap((r) => hits(r).map((h) => `${h}: ${r.slice(0, 300)}`)),
          database: hits(raw),
        };
        reportFigures(`leak/${name}`, {
          sent: requests,
          acknowledged: requests - refusals.length,
          applied: 0,
          lost: 0,
          appliedTwice: 0,
          convergeMs: 0,
          logLines: logLines.length,
          errorResponses: refusals.length,
          rawDatabaseBytes: raw.length,
          hitsInLogs: found.logs.length,
          hitsInResponses: found.responses.length,
          hitsInDatabase: found.database.length,
        });
        // The server logs one debug line per request (below info, so only when the level is that low).
        expect(logs, 'request lines below info were logged').toContain('"level":20');
        expect(logLines.length, 'a line per request at least').toBeGreaterThan(requests);
        expect(stack.servers[0]!.output(), 'the server survived every flow').not.toMatch(/TypeError|uncaught/i);
        expect(refusals.length, 'the refusals really happened').toBeGreaterThan(5);
        expect(found.logs, 'planted values in log lines').toEqual([]);
        // Raw request bytes (a Buffer serialized as numbers) would hide any planted value from the search.
        expect(logs, 'raw request bytes in a log line').not.toMatch(/"rawPacket":\s*[[{]|\[(\d{1,3},){16}/);
        expect(found.responses, 'planted values in error responses').toEqual([]);
        expect(found.database, 'planted values in the raw database').toEqual([]);
      } finally {
        await stack.close();
        stackDir.remove();
        await db.cleanup();
      }
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'leak.db' }, 'rel_leak', leakScenario);
