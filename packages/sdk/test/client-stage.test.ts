import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { IngoLogger } from '../src/client/request-sender.js';
import {
  AbortError,
  AuthenticationError,
  HttpError,
  IngoApiError,
  IngoInProgressError,
  IngoRequestError,
  IngoStateError,
  IngoSystemError,
  IngoValidationError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  ValidationError,
} from '../src/errors.js';
import { contentSha512 } from '../src/signing/signing-string.js';
import { parseAuthorization } from '../src/signing/verify-request.js';
import { SDK_VERSION } from '../src/version.js';
import { behaviors } from './support/ingo-test-server.js';
import { USERNAME, useLocalIngo } from './support/local-ingo.js';

const { server, client, stageInput, received } = useLocalIngo();

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
    expect(error).toBeInstanceOf(IngoValidationError);
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
    [400, 'validation', IngoRequestError],
    [402, 'auth', IngoRequestError],
    [610, 'validation', IngoValidationError],
    [781, 'state', IngoStateError],
  ] as const)(
    'does not retry Ingo status %i (%s family), whatever the HTTP status',
    async (status, family, subclass) => {
      for (const httpStatus of [200, 400, 503]) {
        server.enqueue(behaviors.json(httpStatus, { status, client_message: 'refused', data: {} }));
        const { error, requests } = await received(() => client().notify.stage(stageInput()));
        expect(requests).toHaveLength(1);
        expect(error).toBeInstanceOf(IngoApiError);
        expect(error).toBeInstanceOf(subclass);
        expect(error).toMatchObject({ status, family, httpStatus, retryable: false });
      }
    },
  );

  it('retries Ingo status 500 carried in an HTTP 200 envelope', async () => {
    server.enqueue(behaviors.json(200, envelope500), behaviors.json(200, { ...envelope500, status: '503' }));
    const { value, error, requests } = await received(() => client().notify.stage(stageInput()));
    expect(error).toBeUndefined();
    expect(value!.status).toBe(100);
    expect(requests).toHaveLength(3);

    server.enqueue(behaviors.json(200, envelope500), behaviors.json(200, envelope500));
    const exhausted = await received(() => client({ maxRetries: 1 }).notify.stage(stageInput()));
    expect(exhausted.error).toBeInstanceOf(IngoApiError);
    expect(exhausted.error).toBeInstanceOf(IngoSystemError);
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

  it('generates a tracer_id (trc-<uuid>) when the request has none, sends it and returns it', async () => {
    const input = stageInput({ tracer_id: undefined });
    delete (input as Record<string, unknown>).tracer_id;
    const { value, requests } = await received(() => client().notify.stage(input));
    const sent = JSON.parse(requests[0]!.body.toString());
    expect(sent.tracer_id).toMatch(/^trc-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(value!.tracerId).toBe(sent.tracer_id);
    // Even when Ingo's answer does not echo it, the result carries the tracer id the payout was staged with.
    server.enqueue(behaviors.json(200, { status: 100, client_message: 'Success', data: { notification_id: 77 } }));
    const quiet = await received(() => client().notify.stage(input));
    expect(quiet.value!.tracerId).toMatch(/^trc-/);
    expect(quiet.value!.tracerId).toBe(JSON.parse(quiet.requests[0]!.body.toString()).tracer_id);
    // …so the payout can be canceled with it.
    const canceled = await client().notify.cancel({
      participant_unique_id1: input.participant_unique_id1,
      tracer_id: value!.tracerId,
      first_name: 'Jane',
      last_name: 'Doe',
      amount: '125.50',
    });
    expect(canceled.status).toBe(100);
    // A caller's own tracer id is kept.
    const own = await received(() => client().notify.stage(stageInput({ tracer_id: 'trc-mine' })));
    expect(JSON.parse(own.requests[0]!.body.toString()).tracer_id).toBe('trc-mine');
    expect(own.value!.tracerId).toBe('trc-mine');
  });

  it('sends fields it does not model unchanged, top level and inside recipient', async () => {
    const input = stageInput({ notification_document_url: 'https://example.com/letter.pdf' });
    const withExtras = { ...input, recipient: { ...input.recipient, preferred_language_note: 'es' } };
    const { requests, error } = await received(() => client().notify.stage(withExtras));
    expect(error).toBeUndefined();
    const sent = JSON.parse(requests[0]!.body.toString());
    expect(sent.notification_document_url).toBe('https://example.com/letter.pdf');
    expect(sent.recipient.preferred_language_note).toBe('es');
    expect(sent.document_url).toBe('https://example.com/letter.pdf'); // the example's extra field, as given
  });

  it.each([
    ['555-555-0100', '5555550100'],
    ['(555) 555-0100', '5555550100'],
    ['+1 555 555 0100', '5555550100'],
    ['1-555-555-0100', '5555550100'],
    ['555.555.0100', '5555550100'],
  ])('normalizes the US phone spelling %s to 10 digits before sending', async (spelled, digits) => {
    const input = stageInput();
    const { requests, error } = await received(() =>
      client().notify.stage({ ...input, recipient: { ...input.recipient, mobile: spelled, phone: spelled } }),
    );
    expect(error).toBeUndefined();
    const sent = JSON.parse(requests[0]!.body.toString());
    expect([sent.recipient.mobile, sent.recipient.phone]).toEqual([digits, digits]);
  });

  it.each(['+44 20 7946 0958', '555-0100', '555-555-0100 x12', 'call me'])(
    'refuses %s, which cannot be a US number, before sending',
    async (spelled) => {
      const input = stageInput();
      const { error, requests } = await received(() =>
        client().notify.stage({ ...input, recipient: { ...input.recipient, mobile: spelled } }),
      );
      expect(requests).toHaveLength(0);
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ path: 'recipient.mobile', rule: 'format' }),
      ]);
    },
  );

  it('keeps a free-form phone as given when the program has no strict contact rules', async () => {
    const input = stageInput();
    const { requests } = await received(() =>
      client({ programRules: { strictContact: false } }).notify.stage({
        ...input,
        recipient: { ...input.recipient, mobile: '(555) 555-0100' },
      }),
    );
    expect(JSON.parse(requests[0]!.body.toString()).recipient.mobile).toBe('(555) 555-0100');
  });

  it('104 "in progress" is retried later, never read as a finished replay, even without data', async () => {
    const inProgress = { status: 104, client_message: 'In Progress - Idempotent Response' };
    server.enqueue(behaviors.json(200, inProgress), behaviors.json(200, { ...inProgress, status: '104', data: {} }));
    const { value, error, requests } = await received(() => client().notify.stage(stageInput()));
    expect(error).toBeUndefined();
    expect(requests).toHaveLength(3);
    expect(value).toMatchObject({ status: 100, idempotentReplay: false });
  });

  it('104 that never finishes within the attempts ends in IngoInProgressError', async () => {
    const inProgress = { status: 104, client_message: 'In Progress - Idempotent Response' };
    server.enqueue(...Array(3).fill(behaviors.json(200, inProgress)));
    const { error, requests } = await received(() => client({ maxRetries: 2 }).notify.stage(stageInput()));
    expect(requests).toHaveLength(3);
    expect(error).toBeInstanceOf(IngoInProgressError);
    expect(error).toBeInstanceOf(IngoApiError);
    expect(error).toMatchObject({ code: 'ERR_INGO_IN_PROGRESS', status: 104, attempts: 3 });
    expect((error as IngoInProgressError).requestId).toBe(requests[0]!.headers['x-request-id']);
  });

  it.each([111, 120, 132])(
    'status %i (a soft verification result, "approved, proceed") is a success',
    async (status) => {
      server.enqueue(
        behaviors.json(200, {
          status,
          client_message: 'Approved - proceed',
          data: { notification_id: 4242, tracer_id: 'trc-soft', participant_unique_id1: 'pay-soft' },
        }),
      );
      const { value, error, requests } = await received(() => client().notify.stage(stageInput()));
      expect(error).toBeUndefined();
      expect(requests).toHaveLength(1);
      expect(value).toMatchObject({ status, notificationId: '4242', idempotentReplay: false });
    },
  );

  it('retries a 9xx "general system" error like a 5xx (a Decision), and reports it when it persists', async () => {
    server.enqueue(behaviors.json(200, { status: 900, client_message: 'General system error', data: {} }));
    const recovered = await received(() => client().notify.stage(stageInput()));
    expect(recovered.error).toBeUndefined();
    expect(recovered.requests).toHaveLength(2);
    server.enqueue(...Array(2).fill(behaviors.json(200, { status: 951, client_message: 'General system error' })));
    const exhausted = await received(() => client({ maxRetries: 1 }).notify.stage(stageInput()));
    expect(exhausted.requests).toHaveLength(2);
    expect(exhausted.error).toBeInstanceOf(IngoSystemError);
    expect(exhausted.error).toMatchObject({ status: 951, family: 'retryable', retryable: true });
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

async function waitFor(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

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
