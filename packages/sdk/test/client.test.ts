import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INGO_BASE_URLS,
  IngoClient,
  type IngoClientOptions,
  type ManagedStageInput,
  type StageInput,
} from '../src/client/ingo-client.js';
import type { IngoLogger } from '../src/client/request-sender.js';
import {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  HttpError,
  IngoApiError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  ValidationError,
} from '../src/errors.js';
import { contentSha512 } from '../src/signing/signing-string.js';
import { parseAuthorization } from '../src/signing/verify-request.js';
import { SDK_VERSION } from '../src/version.js';
import { exampleCancel, exampleManagedStage, exampleStage } from './support/example-requests.js';
import { behaviors, type IngoTestServer, startIngoTestServer } from './support/ingo-test-server.js';

const USERNAME = 'notifykit-test';
const SECRET = 'S3CRET-PLANTED-7f3a9c1e2b';

let server: IngoTestServer;
let counter = 0;
/** A fresh idempotency key per test, so the server's memory never couples tests. */
const uid = (prefix = 'pay') => `${prefix}-${Date.now()}-${++counter}`;

beforeAll(async () => {
  server = await startIngoTestServer({ [USERNAME]: SECRET });
});
afterAll(async () => {
  await server.close();
});

function client(options: Partial<IngoClientOptions> = {}) {
  return new IngoClient({
    username: USERNAME,
    secret: SECRET,
    participantId: 12345,
    baseUrl: server.url,
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...options,
  });
}

function stageInput(overrides: Record<string, unknown> = {}): StageInput {
  const { participant_id: _ignored, ...rest } = exampleStage({ participant_unique_id1: uid(), ...overrides });
  return rest as unknown as StageInput;
}

/** Requests the server received during `run`. */
async function received<T>(run: () => Promise<T>) {
  const before = server.requests.length;
  const outcome = await run().then(
    (value) => ({ value, error: undefined }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, requests: server.requests.slice(before) };
}

const envelope500 = { status: 500, client_message: 'System error, try again', data: {} };

describe('IngoClient.notify.stage', () => {
  it('signs, fills participant_id, validates and returns a typed result', async () => {
    const input = stageInput();
    const { value, error, requests } = await received(() => client().notify.stage(input));
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(1);
    const req = requests[0]!;
    expect(req.verification).toEqual({ username: USERNAME, algorithm: 'hmac-sha512' });
    expect(req.url).toBe('/gateway/v3/notify');
    expect(req.headers['user-agent']).toBe(`notifykit/${SDK_VERSION}`);
    expect(req.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body.toString())).toMatchObject({ participant_id: 12345, amount: '125.50' });
    expect(value).toMatchObject({
      status: 100,
      clientMessage: 'Success',
      participantUniqueId1: input.participant_unique_id1,
      tracerId: 'trc-0001',
      idempotentReplay: false,
    });
    expect(value!.notificationId).toMatch(/^\d+$/);
  });

  it('answers a repeated participant_unique_id1 with 101 and the original notificationId', async () => {
    const input = stageInput();
    const first = await client().notify.stage(input);
    const again = await client().notify.stage(input);
    expect(again).toMatchObject({ status: 101, idempotentReplay: true, notificationId: first.notificationId });
    expect(again.clientMessage).toBe('Success - Idempotent Response');
  });

  it('sends nothing when the request is invalid', async () => {
    const { error, requests } = await received(() => client().notify.stage(stageInput({ amount: '0.00' })));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: 'amount', rule: 'range' })]);
    expect(requests).toHaveLength(0);
    const notObject = await received(() => client().notify.stage(null as never));
    expect(notObject.error).toBeInstanceOf(ValidationError);
    expect(notObject.requests).toHaveLength(0);
  });

  it('validates with the configured program rules', async () => {
    const input = stageInput() as Record<string, unknown>;
    delete input.authentication_records;
    const strict = await received(() => client().notify.stage(input as never));
    expect(strict.error).toBeInstanceOf(ValidationError);
    const otac = await received(() => client({ programRules: { otac: true } }).notify.stage(input as never));
    expect(otac.error).toBeInstanceOf(IngoApiError); // the test gateway enforces the default rules: 600
    expect(otac.requests).toHaveLength(1);
  });

  it('retries an HTTP 500, re-signed with a fresh X-Date over the same body bytes', async () => {
    server.enqueue(behaviors.afterDateTicks(behaviors.json(500, { message: 'upstream exploded' })));
    const { value, error, requests } = await received(() => client().notify.stage(stageInput()));
    expect(error).toBeUndefined();
    expect(value!.status).toBe(100);
    expect(requests).toHaveLength(2);
    const [a, b] = requests as [(typeof requests)[0], (typeof requests)[0]];
    for (const r of requests) expect(r.verification).toMatchObject({ username: USERNAME });
    expect(b.body.equals(a.body)).toBe(true);
    expect(b.headers['content-sha512']).toBe(contentSha512(a.body));
    expect(b.headers['x-date']).not.toBe(a.headers['x-date']);
    expect(Date.parse(String(b.headers['x-date']))).toBeGreaterThan(Date.parse(String(a.headers['x-date'])));
    expect(parseAuthorization(b.headers.authorization!)!.signature).not.toBe(
      parseAuthorization(a.headers.authorization!)!.signature,
    );
    expect(b.headers['x-request-id']).toBe(a.headers['x-request-id']);
  });

  it('retries HTTP 429 and gives up after maxRetries with an HttpError', async () => {
    server.enqueue(behaviors.json(429, { message: 'slow down' }, { 'retry-after': '0' }));
    const recovered = await received(() => client().notify.stage(stageInput()));
    expect(recovered.error).toBeUndefined();
    expect(recovered.requests).toHaveLength(2);

    server.enqueue(...Array(3).fill(behaviors.json(429, { message: 'slow down' })));
    const exhausted = await received(() => client({ maxRetries: 2 }).notify.stage(stageInput()));
    expect(exhausted.requests).toHaveLength(3);
    expect(exhausted.error).toBeInstanceOf(HttpError);
    expect(exhausted.error).toMatchObject({ httpStatus: 429, code: 'ERR_HTTP' });
    expect((exhausted.error as HttpError).requestId).toBe(exhausted.requests[0]!.headers['x-request-id']);
  });

  it('retries a reset connection, and reports a NetworkError when it keeps failing', async () => {
    server.enqueue(behaviors.reset());
    const recovered = await received(() => client().notify.stage(stageInput()));
    expect(recovered.error).toBeUndefined();
    expect(recovered.requests).toHaveLength(2);

    server.enqueue(behaviors.reset(), behaviors.reset());
    const failed = await received(() => client({ maxRetries: 1 }).notify.stage(stageInput()));
    expect(failed.requests).toHaveLength(2);
    expect(failed.error).toBeInstanceOf(NetworkError);
    expect((failed.error as NetworkError).code).toBe('ERR_NETWORK');
  });

  it('times out a slow answer (TimeoutError) and retries a timeout', async () => {
    server.enqueue(behaviors.slow(2_000));
    const slow = await received(() => client({ timeoutMs: 100, maxRetries: 0 }).notify.stage(stageInput()));
    expect(slow.error).toBeInstanceOf(TimeoutError);
    expect(slow.error).toMatchObject({ timeoutMs: 100, code: 'ERR_TIMEOUT' });
    expect(slow.requests).toHaveLength(1);

    server.enqueue(behaviors.slow(2_000));
    const retried = await received(() => client({ timeoutMs: 100 }).notify.stage(stageInput()));
    expect(retried.error).toBeUndefined();
    expect(retried.requests).toHaveLength(2);

    server.enqueue(behaviors.slow(2_000));
    const perCall = await received(() => client({ maxRetries: 0 }).notify.stage(stageInput(), { timeoutMs: 100 }));
    expect(perCall.error).toBeInstanceOf(TimeoutError);
  });

  it('returns 401 as AuthenticationError with the server message, never retried', async () => {
    const { error, requests } = await received(() =>
      client({ secret: 'WRONG-SECRET-PLANTED-4411' }).notify.stage(stageInput()),
    );
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ httpStatus: 401, code: 'ERR_AUTHENTICATION' });
    expect((error as Error).message).toContain('HMAC signature does not match');
    expect((error as AuthenticationError).requestId).toBe(requests[0]!.headers['x-request-id']);
    expect(inspect(error, { depth: 10 })).not.toContain('WRONG-SECRET-PLANTED-4411');
  });

  it('does not retry Ingo 600 (validation) and reports status, family and client message', async () => {
    server.enqueue(behaviors.json(400, { status: 600, client_message: 'amount: must be greater than 0', data: {} }));
    const { error, requests } = await received(() => client().notify.stage(stageInput()));
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(IngoApiError);
    expect(error).toMatchObject({
      status: 600,
      family: 'validation',
      httpStatus: 400,
      clientMessage: 'amount: must be greater than 0',
      code: 'ERR_INGO_API',
    });
  });

  it.each([400, 402, 404, 408, 409, 422])(
    'does not retry HTTP %i without an envelope: one request, an HttpError',
    async (httpStatus) => {
      server.enqueue(behaviors.text(httpStatus, '<html>refused</html>'));
      const { error, requests } = await received(() => client().notify.stage(stageInput()));
      expect(requests).toHaveLength(1);
      expect(error).toBeInstanceOf(HttpError);
      expect(error).toMatchObject({ httpStatus, retryable: false, code: 'ERR_HTTP' });
    },
  );

  it.each([
    [400, 'validation'],
    [402, 'auth'],
    [610, 'validation'],
    [781, 'state'],
  ] as const)('does not retry Ingo status %i (%s family), whatever the HTTP status', async (status, family) => {
    for (const httpStatus of [200, 400, 503]) {
      server.enqueue(behaviors.json(httpStatus, { status, client_message: 'refused', data: {} }));
      const { error, requests } = await received(() => client().notify.stage(stageInput()));
      expect(requests).toHaveLength(1);
      expect(error).toBeInstanceOf(IngoApiError);
      expect(error).toMatchObject({ status, family, httpStatus, retryable: false });
    }
  });

  it('retries Ingo status 500 carried in an HTTP 200 envelope', async () => {
    server.enqueue(behaviors.json(200, envelope500), behaviors.json(200, { ...envelope500, status: '503' }));
    const { value, error, requests } = await received(() => client().notify.stage(stageInput()));
    expect(error).toBeUndefined();
    expect(value!.status).toBe(100);
    expect(requests).toHaveLength(3);

    server.enqueue(behaviors.json(200, envelope500), behaviors.json(200, envelope500));
    const exhausted = await received(() => client({ maxRetries: 1 }).notify.stage(stageInput()));
    expect(exhausted.error).toBeInstanceOf(IngoApiError);
    expect(exhausted.error).toMatchObject({ status: 500, family: 'retryable', retryable: true });
  });

  it('treats a non-envelope answer by its HTTP status: 502 retried, 200 a ResponseParseError', async () => {
    server.enqueue(behaviors.text(502, '<html>Bad gateway</html>'));
    const retried = await received(() => client().notify.stage(stageInput()));
    expect(retried.error).toBeUndefined();
    expect(retried.requests).toHaveLength(2);

    server.enqueue(behaviors.text(200, '<html>maintenance</html>'));
    const garbled = await received(() => client().notify.stage(stageInput()));
    expect(garbled.error).toBeInstanceOf(ResponseParseError);
    expect(garbled.requests).toHaveLength(1);
  });

  it('parses string/number drift in the response into the documented types', async () => {
    server.enqueue(
      behaviors.json(200, {
        status: '100',
        client_message: 'Success',
        data: {
          notification_id: 123456789,
          tracer_id: 'trc-drift',
          participant_unique_id1: 'pay-drift',
          participant_unique_id2: 77,
          request_timestamp: '1700000000',
        },
        time: 0.5,
      }),
    );
    const result = await client().notify.stage(stageInput());
    expect(result).toMatchObject({
      status: 100,
      notificationId: '123456789',
      participantUniqueId2: '77',
      requestTimestamp: 1700000000,
      time: '0.5',
    });
  });

  it('signs the path prefix of a baseUrl', async () => {
    const { value, requests } = await received(() =>
      client({ baseUrl: `${server.url}/ingo-proxy/` }).notify.stage(stageInput()),
    );
    expect(requests[0]!.url).toBe('/ingo-proxy/gateway/v3/notify');
    expect(requests[0]!.verification).toMatchObject({ username: USERNAME });
    expect(value!.status).toBe(100);
  });

  it('signs with hmac-sha256 when configured for a legacy integration', async () => {
    const { requests } = await received(() => client({ algorithm: 'hmac-sha256' }).notify.stage(stageInput()));
    expect(requests[0]!.verification).toEqual({ username: USERNAME, algorithm: 'hmac-sha256' });
  });
});

describe('AbortSignal', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const { error, requests } = await received(() =>
      client().notify.stage(stageInput(), { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(requests).toHaveLength(0);
  });

  it('aborts an in-flight request and does not retry it', async () => {
    server.enqueue(behaviors.slow(5_000));
    const controller = new AbortController();
    const before = server.requests.length;
    const pending = received(() => client().notify.stage(stageInput(), { signal: controller.signal }));
    await waitFor(() => server.requests.length > before);
    controller.abort();
    const { error, requests } = await pending;
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).code).toBe('ERR_ABORTED');
    expect(requests).toHaveLength(1);
  });

  it('aborts during the backoff wait', async () => {
    server.enqueue(behaviors.json(500, { message: 'down' }));
    const controller = new AbortController();
    const logger: IngoLogger = {
      warn: (message) => {
        if (message.includes('retrying')) controller.abort();
      },
    };
    const { error, requests } = await received(() =>
      client({ logger, retry: { initialDelayMs: 60_000, maxDelayMs: 60_000 } }).notify.stage(stageInput(), {
        signal: controller.signal,
      }),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect(requests).toHaveLength(1);
  });
});

async function waitFor(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('IngoClient.notify.cancel', () => {
  it('cancels a staged disbursement, then answers 101 for the same cancel', async () => {
    const input = stageInput();
    const staged = await client().notify.stage(input);
    const cancelBody = exampleCancel({
      participant_unique_id1: input.participant_unique_id1,
      participant_id: undefined,
    });
    const canceled = await client().notify.cancel(cancelBody);
    expect(canceled).toMatchObject({
      status: 100,
      clientMessage: 'Disbursement Request Canceled',
      notificationId: staged.notificationId,
      participantUniqueId1: input.participant_unique_id1,
      tracerId: 'trc-0001',
      idempotentReplay: false,
    });
    expect(typeof canceled.requestTimestamp).toBe('number');
    const again = await client().notify.cancel(cancelBody);
    expect(again).toMatchObject({ status: 101, idempotentReplay: true, notificationId: staged.notificationId });
  });

  it('does not retry a 780 state refusal', async () => {
    server.enqueue(behaviors.json(200, { status: 780, client_message: 'Cancel refused: already claimed', data: {} }));
    const { error, requests } = await received(() => client().notify.cancel(exampleCancel()));
    expect(requests).toHaveLength(1);
    expect(error).toBeInstanceOf(IngoApiError);
    expect(error).toMatchObject({ status: 780, family: 'state', clientMessage: 'Cancel refused: already claimed' });
  });

  it('reports 782 for an unknown disbursement', async () => {
    const { error } = await received(() => client().notify.cancel(exampleCancel({ participant_unique_id1: uid() })));
    expect(error).toMatchObject({ status: 782, family: 'state' });
  });
});

describe('IngoClient.managed.stage', () => {
  it('fills the request envelope and returns parties with their ids', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test removes a required envelope on purpose
    const body = exampleManagedStage() as Record<string, any>;
    delete body.request;
    body.transaction.participant_unique_ids.participant_unique_id1 = uid('mp');
    const before = Math.floor(Date.now() / 1000);
    const { value, error, requests } = await received(() => client().managed.stage(body as never));
    expect(error).toBeUndefined();
    expect(requests[0]!.url).toBe('/gateway/v4/notify');
    const sent = JSON.parse(requests[0]!.body.toString());
    expect(sent.request.participant_id).toBe(12345);
    expect(sent.request.timestamp).toBeGreaterThanOrEqual(before);
    expect(value).toMatchObject({
      status: 100,
      message: 'Success',
      tracerId: 'trc-mp-1',
      idempotentReplay: false,
      participantUniqueIds: { participantUniqueId1: body.transaction.participant_unique_ids.participant_unique_id1 },
      parties: [
        { clientProvidedId: 'party-001', role: 0 },
        { clientProvidedId: 'party-002', role: 1 },
      ],
    });
    expect(value!.notificationId).toMatch(/^\d+$/);
    expect(value!.parties[0]!.partyId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses notify_type 1 before sending', async () => {
    const body = exampleManagedStage();
    body.transaction.notify_type = 1;
    const { error, requests } = await received(() => client().managed.stage(body as unknown as ManagedStageInput));
    expect(requests).toHaveLength(0);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'transaction.notify_type', rule: 'unsupported' }),
    ]);
  });
});

describe('configuration', () => {
  const base: IngoClientOptions = { username: USERNAME, secret: SECRET, participantId: 12345 };

  it('maps environments to Ingo hosts, sandbox by default', () => {
    expect(new IngoClient(base).baseUrl).toBe(INGO_BASE_URLS.sandbox);
    expect(new IngoClient({ ...base, environment: 'production' }).baseUrl).toBe('https://payapi.ingo.money');
    expect(new IngoClient({ ...base, environment: 'sandbox' }).baseUrl).toBe('https://payapi-sandbox.ingo.money');
    expect(new IngoClient({ ...base, participantId: '777' }).participantId).toBe(777);
  });

  it.each<[string, Partial<IngoClientOptions> | Record<string, unknown>]>([
    ['empty secret', { secret: '' }],
    ['secret with a trailing newline', { secret: `${SECRET}\n` }],
    ['username with a space', { username: 'a b' }],
    ['participantId zero', { participantId: 0 }],
    ['participantId not numeric', { participantId: 'abc' }],
    ['unknown environment', { environment: 'staging' }],
    ['relative baseUrl', { baseUrl: '/gateway' }],
    ['ftp baseUrl', { baseUrl: 'ftp://example.com' }],
    ['baseUrl with credentials', { baseUrl: 'https://user:pw@example.com' }],
    ['negative timeout', { timeoutMs: -1 }],
    ['fractional maxRetries', { maxRetries: 1.5 }],
    ['unsupported algorithm', { algorithm: 'hmac-sha1' }],
    ['fetch not a function', { fetch: 'nope' }],
  ])('rejects %s with a ConfigurationError that never contains the secret', (_name, overrides) => {
    let thrown: unknown;
    try {
      new IngoClient({ ...base, ...overrides } as IngoClientOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect(inspect(thrown, { depth: 10 })).not.toContain(SECRET);
  });

  it('keeps the secret out of inspection and serialization of the client', () => {
    const c = client();
    expect(inspect(c, { depth: 10, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(c)).not.toContain(SECRET);
  });

  it('uses an injected fetch', async () => {
    const seen: string[] = [];
    const fetchSpy: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    await client({ fetch: fetchSpy }).notify.stage(stageInput());
    expect(seen).toEqual([`${server.url}/gateway/v3/notify`]);
  });
});

describe('logger', () => {
  it('sees method, path, attempt, status and duration but never the secret or a client_provided_value', async () => {
    const entries: { level: string; message: string; fields: Record<string, unknown> }[] = [];
    const logger: IngoLogger = {
      debug: (message, fields) => entries.push({ level: 'debug', message, fields }),
      info: (message, fields) => entries.push({ level: 'info', message, fields }),
      warn: (message, fields) => entries.push({ level: 'warn', message, fields }),
      error: (message, fields) => entries.push({ level: 'error', message, fields }),
    };
    const CPV = 'CPV-PLANTED-93c1d0';
    const NOTE = 'NOTE-PLANTED-55ab01';
    const DOB = 'DOB-PLANTED-0101';
    const planted = () =>
      stageInput({
        authentication_records: [
          {
            field_label: 'Last 4 SSN',
            field_order: 1,
            validation_type: 3,
            match_failure_type: 1,
            client_provided_value: CPV,
          },
          { field_label: 'DOB', field_order: 2, validation_type: 1, match_failure_type: 2, client_provided_value: DOB },
        ],
        notification_records: [{ field_label: 'Note', client_provided_value: NOTE }],
      });
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));

    server.enqueue(behaviors.json(500, { message: 'boom' }));
    await capture(client({ logger }).notify.stage(planted()));
    server.enqueue(
      behaviors.json(400, { status: 600, client_message: 'recipient.email: must be an email address', data: {} }),
    );
    await capture(client({ logger }).notify.stage(planted()));
    await capture(client({ logger, secret: `${SECRET}-WRONG` }).notify.stage(planted()));
    server.enqueue(behaviors.reset(), behaviors.reset(), behaviors.reset());
    await capture(client({ logger }).notify.stage(planted()));
    // Invalid values in sensitive fields: rejected before sending, messages must not repeat them.
    const badRecords = planted();
    (badRecords.authentication_records![0] as Record<string, unknown>).validation_type = CPV;
    await capture(client({ logger }).notify.stage(badRecords));

    expect(errors.map((e) => (e as Error).constructor.name).sort()).toEqual(
      ['AuthenticationError', 'IngoApiError', 'NetworkError', 'ValidationError'].sort(),
    );
    const requestEntry = entries.find((e) => e.message === 'ingo request');
    expect(requestEntry?.fields).toMatchObject({ method: 'POST', path: '/gateway/v3/notify', attempt: 1 });
    expect(entries.find((e) => e.message === 'ingo response')?.fields).toMatchObject({
      httpStatus: 200,
      ingoStatus: 100,
      durationMs: expect.any(Number),
    });
    expect(entries.some((e) => e.level === 'warn' && e.fields.attempt === 1 && e.fields.httpStatus === 500)).toBe(true);
    expect(entries.some((e) => e.level === 'error' && e.fields.code === 'ERR_AUTHENTICATION')).toBe(true);

    const everything = [
      JSON.stringify(entries),
      inspect(entries, { depth: 20 }),
      ...errors.map((e) => `${(e as Error).message} ${inspect(e, { depth: 20 })}`),
    ].join('\n');
    // The planted values really were sent, so their absence in logs and errors means something.
    expect(server.requests.some((r) => r.body.includes(CPV))).toBe(true);
    for (const needle of [SECRET, CPV, NOTE, DOB]) expect(everything).not.toContain(needle);
    expect(everything).toContain('[REDACTED]');
  });

  it('survives a logger that throws', async () => {
    const logger: IngoLogger = {
      info: () => {
        throw new Error('logger down');
      },
    };
    await expect(client({ logger }).notify.stage(stageInput())).resolves.toMatchObject({ status: 100 });
  });
});
