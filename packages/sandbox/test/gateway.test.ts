// The v3 gateway against the SDK's IngoClient and raw signed requests: every outcome code, every
// validation rule, every signature failure, and bad input that must change nothing.
// Longer than 400 lines on purpose: one sandbox serves every case, and the last test audits the logs
// that all of them produced (no secret, signature or client_provided_value anywhere); split into files,
// each part would audit only its own share of the traffic.

import { createHash, createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  AuthenticationError,
  cancelRequestSchema,
  checkCancelRequestSchema,
  IngoApiError,
  IngoClient,
  managedStageRequestSchema,
  signRequest,
  stageRequestSchema,
} from '@notifykit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient, type SandboxHandle, startSandbox } from '../src/index.js';
import { signedPost as signedPostAs } from './support/signed-requests.js';
import { CLIENT_PROVIDED_VALUE, stageBody } from './support/stage-body.js';
import { tempDir } from './support/temp-dir.js';

const ACME = { username: 'acme', secret: 'acme-secret-1', participantId: 777 };
const OTAC = { username: 'otacco', secret: 'otac-secret-2', participantId: 778 };
const CAPPED = { username: 'capped', secret: 'capped-secret-3', participantId: 779 };

let sandbox: SandboxHandle;
let dir: ReturnType<typeof tempDir>;
const logLines: string[] = [];
let ingo: IngoClient;
let control: SandboxControlClient;

/** Signed raw request, as ACME unless told otherwise. */
const signedPost = (
  baseUrl: string,
  path: string,
  payload: unknown,
  options: Parameters<typeof signedPostAs>[3] = {},
) => signedPostAs(baseUrl, path, payload, { credential: ACME, ...options });

const body = (overrides: Record<string, unknown> = {}, recipient: Record<string, unknown> = {}) =>
  stageBody({ participant_id: ACME.participantId, ...overrides }, recipient);

async function notificationCount(credential = ACME): Promise<number> {
  const c = new SandboxControlClient({ baseUrl: sandbox.url, ...credential });
  const r = await c.call<{ notifications: unknown[] }>('GET', '/_sandbox/notifications?limit=1000');
  return r.body.notifications.length;
}

beforeAll(async () => {
  dir = tempDir();
  sandbox = await startSandbox({
    port: 0,
    db: `${dir.path}/sandbox.db`,
    speed: 0,
    logLevel: 'debug',
    logDestination: new Writable({
      write(chunk, _encoding, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
    credentials: [ACME, { ...OTAC, otac: true }, { ...CAPPED, dailyLimit: '300.00' }],
  });
  ingo = new IngoClient({ ...ACME, baseUrl: sandbox.url, maxRetries: 0 });
  control = new SandboxControlClient({ baseUrl: sandbox.url, ...ACME });
});

afterAll(async () => {
  await sandbox?.close();
  dir?.remove();
});

describe('stage (POST /gateway/v3/notify)', () => {
  it('stages with status 100 and a numeric notification id, then replays 101 with the original data', async () => {
    const request = body();
    const first = await ingo.notify.stage(request);
    expect(first.status).toBe(100);
    expect(first.notificationId).toMatch(/^\d+$/);
    expect(first.tracerId).toBe('trc-1');
    expect(first.idempotentReplay).toBe(false);
    const raw = first.raw as { data: { notification_id: unknown } };
    expect(typeof raw.data.notification_id).toBe('number');

    const again = await ingo.notify.stage(request);
    expect(again.status).toBe(101);
    expect(again.idempotentReplay).toBe(true);
    expect(again.notificationId).toBe(first.notificationId);
    expect((again.raw as { data: unknown }).data).toEqual((first.raw as { data: unknown }).data);
    expect((again.raw as { client_message: string }).client_message).toBe('Success - Idempotent Response');

    // Fields other than amount and recipient name do not make it a different disbursement.
    const otherTracer = await ingo.notify.stage({ ...request, tracer_id: 'another' });
    expect(otherTracer.status).toBe(101);
    expect(otherTracer.tracerId).toBe('trc-1');
  });

  it('accepts fields it does not model (top level and in recipient) and any positive validation_type', async () => {
    const request = body(
      {
        notification_document: 'https://example.com/letter.pdf',
        authentication_records: [{ ...body().authentication_records![0]!, validation_type: 9, match_failure_type: 7 }],
      },
      { preferred_name: 'Al' },
    );
    const staged = await ingo.notify.stage(request);
    expect(staged.status).toBe(100);
    expect(Object.keys(staged.raw as object)).toContain('time');
    const view = await control.notification(staged.notificationId);
    const stored = view.request as Record<string, Record<string, unknown>>;
    expect(stored.notification_document).toBe('https://example.com/letter.pdf');
    expect(stored.recipient!.preferred_name).toBe('Al');
  });

  it('answers 601 to a reused participant_unique_id1 with another amount or name, leaving the original untouched', async () => {
    const request = body();
    const first = await ingo.notify.stage(request);
    for (const changed of [
      { ...request, amount: '250.01' },
      { ...request, recipient: { ...request.recipient, last_name: 'Other' } },
    ]) {
      const error = await ingo.notify.stage(changed).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(IngoApiError);
      expect((error as IngoApiError).status).toBe(601);
      expect((error as IngoApiError).httpStatus).toBe(200);
    }
    const stored = await control.notification(first.notificationId);
    expect(stored.amount).toBe('250.00');
    expect((stored.recipient as { last_name: string }).last_name).toBe('Rivera');
    expect((stored.events as unknown[]).length).toBe(1);
  });

  it('answers concurrent duplicates (one group commit) with one 100 and 101s for the same notification', async () => {
    const request = body();
    const results = await Promise.all(Array.from({ length: 8 }, () => ingo.notify.stage(request)));
    expect(results.map((r) => r.status).sort()).toEqual([100, 101, 101, 101, 101, 101, 101, 101]);
    expect(new Set(results.map((r) => r.notificationId)).size).toBe(1);
  });

  it('numbers notifications monotonically', async () => {
    const a = await ingo.notify.stage(body());
    const b = await ingo.notify.stage(body());
    expect(Number(b.notificationId)).toBeGreaterThan(Number(a.notificationId));
  });

  it('enforces the daily velocity limit with 610 and counts only what was staged', async () => {
    const capped = new IngoClient({ ...CAPPED, baseUrl: sandbox.url, maxRetries: 0 });
    const stage = (amount: string) =>
      capped.notify.stage(stageBody({ participant_id: CAPPED.participantId, amount })).then(
        (r) => r.status,
        (e: IngoApiError) => e.status,
      );
    expect(await stage('200.00')).toBe(100);
    expect(await stage('150.00')).toBe(610);
    expect(await stage('100.00')).toBe(100);
    expect(await stage('0.01')).toBe(610);
    expect(await notificationCount(CAPPED)).toBe(2);
  });

  it('applies the program rules of the signer: OTAC programs need no authentication records but a mobile', async () => {
    const otac = new IngoClient({ ...OTAC, baseUrl: sandbox.url, maxRetries: 0, programRules: { otac: true } });
    const { authentication_records: _records, ...withoutRecords } = stageBody({ participant_id: OTAC.participantId });
    const staged = await otac.notify.stage({
      ...withoutRecords,
      recipient: { ...withoutRecords.recipient, mobile: '5551234567' },
    });
    expect(staged.status).toBe(100);

    const noMobile = await signedPost(sandbox.url, '/gateway/v3/notify', withoutRecords, { credential: OTAC });
    expect(noMobile.status).toBe(400);
    expect((noMobile.json.data as { errors: { path: string }[] }).errors[0]!.path).toBe('recipient.mobile');

    const { authentication_records: _r, ...acmeWithout } = body();
    const required = await signedPost(sandbox.url, '/gateway/v3/notify', acmeWithout, { credential: ACME });
    expect(required.json.status).toBe(600);
    expect(required.json.client_message).toContain('authentication_records');
  });
});

describe('cancel (POST /gateway/v3/notifycancel)', () => {
  const cancelOf = (staged: ReturnType<typeof body>) => ({
    participant_unique_id1: staged.participant_unique_id1,
    tracer_id: staged.tracer_id ?? '',
    first_name: staged.recipient.first_name,
    last_name: staged.recipient.last_name,
    amount: staged.amount,
  });

  it('cancels before claim (100), then answers a repeated cancel with 101 and the original data', async () => {
    const staged = body();
    const { notificationId } = await ingo.notify.stage(staged);
    await control.act(notificationId, 'open');
    await control.act(notificationId, 'authenticate');
    const canceled = await ingo.notify.cancel(cancelOf(staged));
    expect(canceled.status).toBe(100);
    const raw = canceled.raw as { client_message: string; data: { notification_id: unknown } };
    expect(raw.client_message).toBe('Disbursement Request Canceled');
    expect(raw.data.notification_id).toBe(notificationId);
    expect(typeof raw.data.notification_id).toBe('string');

    const again = await ingo.notify.cancel({ ...cancelOf(staged), notification_id: Number(notificationId) });
    expect(again.status).toBe(101);
    expect((again.raw as { data: unknown }).data).toEqual(raw.data);

    // As Ingo's example shows it: no `time` in a cancel answer (a stage answer has one).
    expect(Object.keys(canceled.raw as object).sort()).toEqual(['client_message', 'data', 'status']);
    expect(Object.keys(again.raw as object)).not.toContain('time');

    const view = await control.notification(notificationId);
    expect(view.status).toBe('canceled');
    expect((view.events as { topic: string }[]).map((e) => e.topic).at(-1)).toBe(
      'transaction.recipient.disbursement.status.canceled',
    );
  });

  it('refuses with 780 once claimed and 781 once terminal, changing nothing', async () => {
    const staged = body();
    const { notificationId } = await ingo.notify.stage(staged);
    for (const action of ['open', 'authenticate']) await control.act(notificationId, action);
    await control.act(notificationId, 'choose_payment', { account_type: 'CA' });
    const claimed = await ingo.notify.cancel(cancelOf(staged)).catch((e: IngoApiError) => e);
    expect(claimed).toBeInstanceOf(IngoApiError);
    expect((claimed as IngoApiError).status).toBe(780);
    expect((claimed as IngoApiError).family).toBe('state');
    expect((await control.notification(notificationId)).state).toBe('claimed');

    await control.act(notificationId, 'fund');
    const terminal = await ingo.notify.cancel(cancelOf(staged)).catch((e: IngoApiError) => e);
    expect((terminal as IngoApiError).status).toBe(781);
    expect((await control.notification(notificationId)).state).toBe('funded');
  });

  it('answers 782 when nothing matches and 783 when name or amount differ', async () => {
    const staged = body();
    const { notificationId } = await ingo.notify.stage(staged);
    const status = (request: Record<string, unknown>) =>
      ingo.notify.cancel(request as Parameters<typeof ingo.notify.cancel>[0]).then(
        (r) => ({ status: r.status, message: '' }),
        (e: IngoApiError) => ({ status: e.status, message: e.clientMessage }),
      );
    expect((await status({ ...cancelOf(staged), participant_unique_id1: 'never-staged' })).status).toBe(782);
    expect((await status({ ...cancelOf(staged), tracer_id: 'wrong-tracer' })).status).toBe(782);
    expect((await status({ ...cancelOf(staged), notification_id: Number(notificationId) + 999 })).status).toBe(782);
    const amount = await status({ ...cancelOf(staged), amount: '999.00' });
    expect(amount).toEqual({ status: 783, message: expect.stringContaining('amount') });
    const name = await status({ ...cancelOf(staged), last_name: 'Someone' });
    expect(name).toEqual({ status: 783, message: expect.stringContaining('last_name') });
    // Names compare without regard to case; amounts as money.
    expect((await status({ ...cancelOf(staged), first_name: 'ALEX', amount: '250' })).status).toBe(100);
  });

  it('validates the cancel body with 600 naming the field', async () => {
    const response = await signedPost(sandbox.url, '/gateway/v3/notifycancel', {
      participant_id: ACME.participantId,
      participant_unique_id1: 'x',
      first_name: 'A',
      last_name: 'B',
      amount: '1.00',
    });
    expect(response.status).toBe(400);
    expect(response.json.status).toBe(600);
    expect(response.json.client_message).toContain('tracer_id');
  });
});

describe('validation: every rule answers 600 naming the field, and stores nothing', () => {
  const long = (n: number) => 'x'.repeat(n);
  const record = body().authentication_records![0]!;
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing amount', { amount: undefined }, 'amount'],
    ['amount as a number', { amount: 250 }, 'amount'],
    ['zero amount', { amount: '0.00' }, 'amount'],
    ['three decimals', { amount: '12.345' }, 'amount'],
    ['amount over 10 characters', { amount: '12345678.00' }, 'amount'],
    ['participant_id as a string', { participant_id: '777' }, 'participant_id'],
    ['missing participant_unique_id1', { participant_unique_id1: undefined }, 'participant_unique_id1'],
    ['empty participant_unique_id1', { participant_unique_id1: '' }, 'participant_unique_id1'],
    ['participant_unique_id1 over 100', { participant_unique_id1: long(101) }, 'participant_unique_id1'],
    ['participant_unique_id2 over 100', { participant_unique_id2: long(101) }, 'participant_unique_id2'],
    ['tracer_id over 254', { tracer_id: long(255) }, 'tracer_id'],
    ['workflow_id not an integer', { workflow_id: 'one' }, 'workflow_id'],
    ['missing recipient', { recipient: undefined }, 'recipient'],
    ['authentication_records missing', { authentication_records: undefined }, 'authentication_records'],
    ['authentication_records empty', { authentication_records: [] }, 'authentication_records'],
    ['21 authentication_records', { authentication_records: Array(21).fill(record) }, 'authentication_records'],
    [
      'record without its value',
      { authentication_records: [{ ...record, client_provided_value: undefined }] },
      'authentication_records.0.client_provided_value',
    ],
    [
      'record with a validation_type that is not a positive integer',
      { authentication_records: [{ ...record, validation_type: 0 }] },
      'authentication_records.0.validation_type',
    ],
    ['unknown language', { language: 'xx-XX' }, 'language'],
    ['document_url not https', { document_url: 'http://example.com/doc.pdf' }, 'document_url'],
    ['document_url not a URL', { document_url: 'not a url at all' }, 'document_url'],
  ];
  const recipientCases: [string, Record<string, unknown>, string][] = [
    ['both name forms', { business_name: 'Acme LLC' }, 'recipient'],
    ['no name at all', { first_name: undefined, last_name: undefined }, 'recipient'],
    ['first_name over 150', { first_name: long(151) }, 'recipient.first_name'],
    ['missing email', { email: undefined }, 'recipient.email'],
    ['malformed email', { email: 'not-an-email' }, 'recipient.email'],
    ['mobile not 10 digits', { mobile: '12345' }, 'recipient.mobile'],
    ['phone not 10 digits', { phone: '555-123' }, 'recipient.phone'],
    ['state not two letters', { state: 'XYZ' }, 'recipient.state'],
    ['zip not 5 digits or ZIP+4', { zip: '1234' }, 'recipient.zip'],
  ];

  it.each([
    ...cases.map(([name, change, field]) => [name, field, change, false] as const),
    ...recipientCases.map(([name, change, field]) => [name, field, change, true] as const),
  ])('%s → 600 on %s', async (_name, field, change, inRecipient) => {
    const before = await notificationCount();
    const request = inRecipient ? body({}, change) : body(change);
    const response = await signedPost(sandbox.url, '/gateway/v3/notify', request);
    expect(response.status).toBe(400);
    expect(response.json.status).toBe(600);
    const errors = (response.json.data as { errors: { path: string; rule: string; message: string }[] }).errors;
    expect(errors.some((e) => e.path === field || e.path.startsWith(`${field}.`))).toBe(true);
    expect(errors.every((e) => e.rule.length > 0)).toBe(true);
    expect(response.json.client_message).toMatch(/^Field validation failed: /);
    expect(response.json.client_message).toContain(errors[0]!.path || '(body)');
    expect(JSON.stringify(response.json)).not.toContain(CLIENT_PROVIDED_VALUE);
    expect(await notificationCount()).toBe(before);
  });
});

describe('signature failures: 401, WWW-Authenticate: hmac, the exact §1.1 message, nothing stored', () => {
  const MISMATCH = 'HMAC signature does not match';
  const UNVERIFIABLE = 'HMAC signature cannot be verified';
  const DATE = 'HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication';

  async function expect401(
    send: () => Promise<{ status: number; headers: Headers; json: Record<string, unknown> }>,
    message: string,
  ) {
    const before = await notificationCount();
    const response = await send();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('hmac');
    expect(response.json).toEqual({ message });
    expect(await notificationCount()).toBe(before);
  }

  /** A correctly signed stage request with `tamper` applied to its headers: 401, cannot be verified. */
  const expectUnverifiable = (tamper: (headers: Record<string, string>) => void) =>
    expect401(() => signedPost(sandbox.url, '/gateway/v3/notify', body(), { tamper }), UNVERIFIABLE);

  // Signs arbitrary header values, for what signRequest refuses to produce (wrong digests).
  function manualAuthorization(
    list: string[],
    values: Record<string, string>,
    secret = ACME.secret,
    path = '/gateway/v3/notify',
  ) {
    const lines = list.map((name) => (name === 'request-line' ? `POST ${path} HTTP/1.1` : `${name}: ${values[name]}`));
    const signature = createHmac('sha512', secret).update(lines.join('\n')).digest('base64');
    return `hmac username="${ACME.username}", algorithm="hmac-sha512", headers="${list.join(' ')}", signature="${signature}"`;
  }

  it('IngoClient with a wrong secret gets AuthenticationError "does not match"', async () => {
    const wrong = new IngoClient({ ...ACME, secret: 'not-the-secret', baseUrl: sandbox.url, maxRetries: 0 });
    const error = await wrong.notify.stage(body()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain(MISMATCH);
  });

  it('IngoClient with an unknown username gets "cannot be verified"', async () => {
    const stranger = new IngoClient({ ...ACME, username: 'stranger', baseUrl: sandbox.url, maxRetries: 0 });
    const error = await stranger.notify.stage(body()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain(UNVERIFIABLE);
  });

  it('no Authorization header → Unauthorized', () =>
    expect401(
      () => signedPost(sandbox.url, '/gateway/v3/notify', body(), { tamper: (h) => delete h.Authorization }),
      'Unauthorized',
    ));

  it('a malformed Authorization header → cannot be verified', () =>
    expectUnverifiable((h) => {
      h.Authorization = 'Basic YWNtZTpzZWNyZXQ=';
    }));

  it('a disallowed algorithm → cannot be verified', () =>
    expectUnverifiable((h) => {
      h.Authorization = h.Authorization!.replace('hmac-sha512', 'hmac-sha1');
    }));

  it('content-sha512 not among the signed headers → cannot be verified', async () => {
    const text = JSON.stringify(body());
    const { headers } = signRequest({
      method: 'POST',
      path: '/gateway/v3/notify',
      body: text,
      ...ACME,
      headers: ['request-line', 'x-date', 'content-type', 'content-length'],
    });
    await expect401(async () => {
      const r = await fetch(`${sandbox.url}/gateway/v3/notify`, { method: 'POST', headers, body: text });
      return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
    }, UNVERIFIABLE);
  });

  it('a listed header that is absent → cannot be verified', () =>
    expectUnverifiable((h) => {
      h.Authorization = h.Authorization!.replace('content-length"', 'content-length x-missing"');
    }));

  it.each([
    ['missing', (h: Record<string, string>) => delete h['X-Date']],
    ['unparseable', (h: Record<string, string>) => (h['X-Date'] = '2026-11-26T12:00:00Z')],
  ])('an X-Date that is %s → the date message', (_what, tamper) =>
    expect401(() => signedPost(sandbox.url, '/gateway/v3/notify', body(), { tamper }), DATE),
  );

  it('an X-Date beyond ±300 s → the date message; within the window it passes', async () => {
    const text = JSON.stringify(body());
    const send = async (offsetSeconds: number) => {
      const { headers } = signRequest({
        method: 'POST',
        path: '/gateway/v3/notify',
        body: text,
        ...ACME,
        date: new Date(Date.now() + offsetSeconds * 1000),
      });
      const r = await fetch(`${sandbox.url}/gateway/v3/notify`, { method: 'POST', headers, body: text });
      return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
    };
    await expect401(() => send(-305), DATE);
    await expect401(() => send(305), DATE);
    expect((await send(-290)).json.status).toBe(100);
  });

  it('a malformed X-Date falls back to the Date header, as Kong does; without a valid Date → the date message', async () => {
    const text = JSON.stringify(body());
    const send = async (date: string | undefined) => {
      const { headers } = signRequest({
        method: 'POST',
        path: '/gateway/v3/notify',
        body: text,
        ...ACME,
        date: '2026-11-26T12:00:00Z', // not an IMF-fixdate, signed as sent
      });
      const r = await fetch(`${sandbox.url}/gateway/v3/notify`, {
        method: 'POST',
        headers: { ...headers, ...(date === undefined ? {} : { Date: date }) },
        body: text,
      });
      return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
    };
    await expect401(() => send(undefined), DATE);
    await expect401(() => send(new Date(Date.now() - 3_600_000).toUTCString()), DATE);
    const fallback = await send(new Date().toUTCString());
    expect(fallback.status).toBe(200);
    expect(fallback.json.status).toBe(100);
  });

  it('a body changed after signing → does not match', () =>
    expect401(() => {
      const signed = JSON.stringify(body());
      // Same length, different bytes: only the digest can tell.
      return signedPost(sandbox.url, '/gateway/v3/notify', null, {
        rawBody: signed,
        sendBody: signed.replace('250.00', '950.00'),
      });
    }, MISMATCH));

  /** Signs a stage request correctly over a wrong Content-sha512, so only the digest check can refuse it. */
  async function expectDigestRefused(digestOf: (text: string) => string) {
    const text = JSON.stringify(body());
    const values: Record<string, string> = {
      'x-date': new Date().toUTCString(),
      'content-type': 'application/json',
      'content-sha512': digestOf(text),
      'content-length': String(Buffer.byteLength(text)),
    };
    const list = ['request-line', 'x-date', 'content-type', 'content-sha512', 'content-length'];
    await expect401(async () => {
      const r = await fetch(`${sandbox.url}/gateway/v3/notify`, {
        method: 'POST',
        headers: { ...values, authorization: manualAuthorization(list, values) },
        body: text,
      });
      return { status: r.status, headers: r.headers, json: (await r.json()) as Record<string, unknown> };
    }, MISMATCH);
  }

  it('a 44-character (SHA-256-sized) Content-sha512, even correctly signed → does not match', () =>
    expectDigestRefused((text) => createHash('sha256').update(text).digest('base64')));

  it('a hex-encoded body digest, even correctly signed → does not match', () =>
    expectDigestRefused((text) => createHash('sha512').update(text).digest('hex')));

  it('accepts legacy hmac-sha256 signatures', async () => {
    const legacy = new IngoClient({ ...ACME, algorithm: 'hmac-sha256', baseUrl: sandbox.url, maxRetries: 0 });
    expect((await legacy.notify.stage(body())).status).toBe(100);
  });
});

describe('bad input never yields a 500 or a partial write', () => {
  async function expectRefused(
    send: () => Promise<{ status: number; json: Record<string, unknown> }>,
    httpStatus: number,
    message: RegExp,
  ) {
    const before = await notificationCount();
    const response = await send();
    expect(response.status).toBe(httpStatus);
    expect(response.json.status).toBe(600);
    expect(String(response.json.client_message)).toMatch(message);
    expect(await notificationCount()).toBe(before);
  }

  it('malformed JSON → 400', () =>
    expectRefused(
      () => signedPost(sandbox.url, '/gateway/v3/notify', null, { rawBody: '{"amount": "1.00",' }),
      400,
      /not valid JSON/,
    ));

  it('a JSON array or scalar → 400', async () => {
    await expectRefused(
      () => signedPost(sandbox.url, '/gateway/v3/notify', null, { rawBody: '[1,2]' }),
      400,
      /JSON object/,
    );
    await expectRefused(
      () => signedPost(sandbox.url, '/gateway/v3/notify', null, { rawBody: '42' }),
      400,
      /JSON object/,
    );
  });

  it('an empty body → 400', () =>
    expectRefused(() => signedPost(sandbox.url, '/gateway/v3/notify', null, { rawBody: '' }), 400, /empty/));

  it('invalid UTF-8 → 400', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const { headers } = signRequest({ method: 'POST', path: '/gateway/v3/notify', body: bytes, ...ACME });
    await expectRefused(
      async () => {
        const r = await fetch(`${sandbox.url}/gateway/v3/notify`, { method: 'POST', headers, body: bytes });
        return { status: r.status, json: (await r.json()) as Record<string, unknown> };
      },
      400,
      /UTF-8/,
    );
  });

  it('a content type other than application/json → 415', async () => {
    const text = JSON.stringify(body());
    const { headers } = signRequest({
      method: 'POST',
      path: '/gateway/v3/notify',
      body: text,
      ...ACME,
      headers: ['request-line', 'x-date', 'content-sha512', 'content-length'],
    });
    headers['Content-Type'] = 'text/plain';
    await expectRefused(
      async () => {
        const r = await fetch(`${sandbox.url}/gateway/v3/notify`, { method: 'POST', headers, body: text });
        return { status: r.status, json: (await r.json()) as Record<string, unknown> };
      },
      415,
      /application\/json/,
    );
  });

  it('a body over 64 KiB → 413, signed or not', async () => {
    const huge = JSON.stringify(
      body({ notification_records: [{ field_label: 'x', client_provided_value: 'y'.repeat(70_000) }] }),
    );
    await expectRefused(
      () => signedPost(sandbox.url, '/gateway/v3/notify', null, { rawBody: huge }),
      413,
      /larger than 65536/,
    );
    await expectRefused(
      async () => {
        const r = await fetch(`${sandbox.url}/gateway/v3/notify`, {
          method: 'POST',
          body: huge,
          headers: { 'content-type': 'application/json' },
        });
        return { status: r.status, json: (await r.json()) as Record<string, unknown> };
      },
      413,
      /larger/,
    );
  });

  it("another participant's participant_id → 400 with status 401 (parameters incorrect)", async () => {
    const before = await notificationCount();
    const response = await signedPost(sandbox.url, '/gateway/v3/notify', body({ participant_id: OTAC.participantId }));
    expect(response.status).toBe(400);
    expect(response.json.status).toBe(401);
    expect(response.json.client_message).toContain('participant_id');
    expect(await notificationCount()).toBe(before);
  });

  it('a participant_id no credential has → 400 with status 401, nothing stored', async () => {
    const before = await notificationCount();
    const response = await signedPost(sandbox.url, '/gateway/v3/notify', body({ participant_id: 424242 }));
    expect(response.status).toBe(400);
    expect(response.json.status).toBe(401);
    expect(await notificationCount()).toBe(before);
  });

  it('the same bad input on notifycancel never cancels, and never answers 500', async () => {
    const staged = body();
    const { notificationId } = await ingo.notify.stage(staged);
    const cancel = {
      participant_id: ACME.participantId,
      participant_unique_id1: staged.participant_unique_id1,
      tracer_id: staged.tracer_id ?? '',
      first_name: staged.recipient.first_name ?? '',
      last_name: staged.recipient.last_name ?? '',
      amount: staged.amount,
    };
    const path = '/gateway/v3/notifycancel';
    const text = JSON.stringify(cancel);
    const { headers: plainText } = signRequest({
      method: 'POST',
      path,
      body: text,
      ...ACME,
      headers: ['request-line', 'x-date', 'content-sha512', 'content-length'],
    });
    plainText['Content-Type'] = 'text/plain';
    const attempts: [string, () => Promise<{ status: number }>, number][] = [
      ['malformed JSON', () => signedPost(sandbox.url, path, null, { rawBody: text.slice(0, -3) }), 400],
      ['a JSON array', () => signedPost(sandbox.url, path, null, { rawBody: `[${text}]` }), 400],
      ['text/plain', () => fetch(`${sandbox.url}${path}`, { method: 'POST', headers: plainText, body: text }), 415],
      ['over 64 KiB', () => signedPost(sandbox.url, path, { ...cancel, tracer_id: 't'.repeat(70_000) }), 413],
      ['amount as a number', () => signedPost(sandbox.url, path, { ...cancel, amount: 250 }), 400],
      ["another participant's id", () => signedPost(sandbox.url, path, { ...cancel, participant_id: 778 }), 400],
      ['an unknown participant id', () => signedPost(sandbox.url, path, { ...cancel, participant_id: 424242 }), 400],
      ['a wrong secret', () => signedPost(sandbox.url, path, cancel, { credential: { ...ACME, secret: 'x' } }), 401],
      [
        'a body changed after signing (same length)',
        () => signedPost(sandbox.url, path, null, { rawBody: text, sendBody: text.replace('250.00', '950.00') }),
        401,
      ],
    ];
    for (const [what, send, httpStatus] of attempts) {
      expect([what, (await send()).status]).toEqual([what, httpStatus]);
    }
    const view = await control.notification(notificationId);
    expect(view.state).toBe('notified');
    expect((view.events as unknown[]).length).toBe(1);
    // The request it was all aimed at still works: nothing was half-done before.
    expect((await ingo.notify.cancel(cancel)).status).toBe(100);
  });
});

describe('surface', () => {
  it('serves OpenAPI 3.1 generated from the SDK schemas', async () => {
    const response = await fetch(`${sandbox.url}/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual([
      '/gateway/v3/notify',
      '/gateway/v3/notifycancel',
      '/gateway/v4/notify',
      '/gateway/checkcancel',
      '/gateway/checkstop',
    ]);
    const { $schema: _managed, ...managed } = managedStageRequestSchema().toJSONSchema({
      io: 'input',
      unrepresentable: 'any',
    });
    expect(doc.components.schemas.ManagedStageRequest).toEqual(managed);
    const { $schema: _stage, ...stage } = stageRequestSchema().toJSONSchema({ io: 'input', unrepresentable: 'any' });
    expect(doc.components.schemas.StageRequest).toEqual(stage);
    const { $schema: _cancel, ...cancel } = cancelRequestSchema.toJSONSchema({ io: 'input', unrepresentable: 'any' });
    expect(doc.components.schemas.CancelRequest).toEqual(cancel);
    expect(doc.components.schemas.CancelRequest!.properties).toHaveProperty('tracer_id');
    const { $schema: _void, ...voidCheck } = checkCancelRequestSchema.toJSONSchema({
      io: 'input',
      unrepresentable: 'any',
    });
    expect(doc.components.schemas.CheckCancelRequest).toEqual(voidCheck);
    expect(doc.components.schemas.CheckActionResponse!.properties).toHaveProperty('status_code');
    // Ingo's cancel response example has no `time`.
    expect(doc.components.schemas.CancelResponse!.properties).not.toHaveProperty('time');
  });

  it('echoes X-Request-Id and answers unknown routes with JSON 404', async () => {
    const response = await signedPost(sandbox.url, '/gateway/v3/notify', body(), {
      tamper: (h) => {
        h['X-Request-Id'] = 'req-123';
      },
    });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const missing = await fetch(`${sandbox.url}/gateway/v3/nothing`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    // v4 is served: an unsigned call meets the signature check, not a 404.
    const v4 = await fetch(`${sandbox.url}/gateway/v4/notify`, { method: 'POST' });
    expect(v4.status).toBe(401);
  });

  it('logs structured JSON without secrets, signatures or client_provided_values', () => {
    expect(logLines.length).toBeGreaterThan(10);
    const all = logLines.join('\n');
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    for (const secret of [ACME.secret, OTAC.secret, CAPPED.secret, CLIENT_PROVIDED_VALUE, 'not-the-secret']) {
      expect(all).not.toContain(secret);
    }
    expect(all).not.toMatch(/signature="/);
    expect(all).toContain('request signature refused');
    expect(all).toContain('disbursement staged');
  });
});
