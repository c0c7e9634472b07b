import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  INGO_BASE_URLS,
  IngoClient,
  type IngoClientOptions,
  type ManagedStageInput,
} from '../src/client/ingo-client.js';
import type { IngoLogger } from '../src/client/request-sender.js';
import {
  CancelOutcomeUnknownError,
  ConfigurationError,
  IngoApiError,
  IngoStateError,
  TimeoutError,
  ValidationError,
} from '../src/errors.js';
import { managedCancelFields, validateManagedStageRequest } from '../src/requests/managed-stage.js';
import { exampleCancel, exampleManagedStage } from './support/example-requests.js';
import { behaviors } from './support/ingo-test-server.js';
import { SECRET, USERNAME, useLocalIngo } from './support/local-ingo.js';

const { server, client, stageInput, uid, received } = useLocalIngo();

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
    expect(error).toBeInstanceOf(IngoStateError);
    expect(error).toMatchObject({ status: 780, family: 'state', clientMessage: 'Cancel refused: already claimed' });
  });

  it('reports 782 for an unknown disbursement', async () => {
    const { error } = await received(() => client().notify.cancel(exampleCancel({ participant_unique_id1: uid() })));
    expect(error).toBeInstanceOf(IngoStateError);
    expect(error).toMatchObject({ status: 782, family: 'state' });
  });

  it('a 78x after an attempt that timed out is "outcome unknown", not "not canceled"', async () => {
    // The first attempt may have canceled at Ingo; the retry's refusal could be Ingo's answer to it.
    server.enqueue(
      behaviors.slow(2_000, behaviors.json(200, { status: 100, client_message: 'late', data: {} })),
      behaviors.json(200, { status: 781, client_message: 'Cancel refused: already in a terminal state', data: {} }),
    );
    const { error, requests } = await received(() => client({ timeoutMs: 100 }).notify.cancel(exampleCancel()));
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(CancelOutcomeUnknownError);
    expect(error instanceof IngoStateError).toBe(false);
    const unknown = error as CancelOutcomeUnknownError;
    expect(unknown).toMatchObject({ code: 'ERR_CANCEL_OUTCOME_UNKNOWN', uncertainAttempt: 'ERR_TIMEOUT' });
    expect(unknown.refusal).toBeInstanceOf(IngoStateError);
    expect(unknown.refusal?.status).toBe(781);
  });

  it('a 78x after a lost connection or a 5xx is "outcome unknown" too', async () => {
    server.enqueue(behaviors.reset(), behaviors.json(200, { status: 780, client_message: 'claimed', data: {} }));
    const reset = await received(() => client().notify.cancel(exampleCancel()));
    expect(reset.error).toMatchObject({ code: 'ERR_CANCEL_OUTCOME_UNKNOWN', uncertainAttempt: 'ERR_NETWORK' });
    server.enqueue(
      behaviors.text(504, '<html>gateway timeout</html>'),
      behaviors.json(200, { status: 780, client_message: 'claimed', data: {} }),
    );
    const proxy = await received(() => client().notify.cancel(exampleCancel()));
    expect(proxy.error).toMatchObject({ code: 'ERR_CANCEL_OUTCOME_UNKNOWN', uncertainAttempt: 'ERR_HTTP' });
  });

  it('retries that all go unanswered after an attempt that may have landed: "outcome unknown"', async () => {
    server.enqueue(behaviors.slow(2_000), behaviors.slow(2_000));
    const { error, requests } = await received(() =>
      client({ timeoutMs: 100, maxRetries: 1 }).notify.cancel(exampleCancel()),
    );
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(CancelOutcomeUnknownError);
    expect(error).toMatchObject({ uncertainAttempt: 'ERR_TIMEOUT', refusal: undefined });
    expect((error as CancelOutcomeUnknownError).cause).toBeInstanceOf(TimeoutError);
    // A stage that times out stays a TimeoutError (repeating it is safe under its idempotency key).
    server.enqueue(behaviors.slow(2_000));
    const stage = await received(() => client({ timeoutMs: 100, maxRetries: 0 }).notify.stage(stageInput()));
    expect(stage.error).toBeInstanceOf(TimeoutError);
  });

  it('a validation refusal after an uncertain attempt stays a validation refusal', async () => {
    server.enqueue(
      behaviors.slow(2_000),
      behaviors.json(400, { status: 600, client_message: 'amount: invalid', data: {} }),
    );
    const { error } = await received(() => client({ timeoutMs: 100 }).notify.cancel(exampleCancel()));
    expect(error).toMatchObject({ status: 600, code: 'ERR_INGO_API' });
  });

  it('a 78x after an attempt that cannot have acted (429) stays a plain refusal', async () => {
    server.enqueue(
      behaviors.json(429, { message: 'slow down' }, { 'retry-after': '0' }),
      behaviors.json(200, { status: 780, client_message: 'Cancel refused: already claimed', data: {} }),
    );
    const { error, requests } = await received(() => client().notify.cancel(exampleCancel()));
    expect(requests).toHaveLength(2);
    expect(error).toBeInstanceOf(IngoStateError);
    expect(error).toMatchObject({ status: 780 });
  });

  it('a stage is never turned into "outcome unknown": its 600 after a timeout stays a validation error', async () => {
    server.enqueue(
      behaviors.slow(2_000),
      behaviors.json(200, { status: 601, client_message: 'participant_unique_id1 already used', data: {} }),
    );
    const { error } = await received(() => client({ timeoutMs: 100 }).notify.stage(stageInput()));
    expect(error).toBeInstanceOf(IngoApiError);
    expect(error).toMatchObject({ status: 601 });
  });

  it('a retried cancel that landed answers 101: resolved, flagged idempotent', async () => {
    const input = stageInput();
    await client().notify.stage(input);
    const cancelBody = exampleCancel({
      participant_unique_id1: input.participant_unique_id1,
      participant_id: undefined,
    });
    // The first attempt cancels at Ingo but its answer is lost; the retry hears "already canceled".
    server.enqueue(behaviors.actsThenDrops());
    const { value, error, requests } = await received(() => client().notify.cancel(cancelBody));
    expect(requests).toHaveLength(2);
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ idempotentReplay: true, participantUniqueId1: input.participant_unique_id1 });
  });
});

describe('IngoClient.checks (docs/ingo-contract.md §4.1)', () => {
  async function stagedCheck() {
    const input = stageInput();
    const staged = await client().notify.stage(input);
    return { puid1: input.participant_unique_id1, tracerId: staged.tracerId, notificationId: staged.notificationId };
  }

  it('cancel voids the check: POST /gateway/checkcancel, outcome read from status_code', async () => {
    const { puid1, tracerId, notificationId } = await stagedCheck();
    const request = { participant_unique_id1: puid1, tracer_id: tracerId, reason_code: 75 };
    const { value, error, requests } = await received(() => client().checks.cancel(request));
    expect(error).toBeUndefined();
    expect(requests[0]!.url).toBe('/gateway/checkcancel');
    expect(requests[0]!.verification).toMatchObject({ username: USERNAME });
    expect(JSON.parse(requests[0]!.body.toString())).toEqual({ ...request, participant_id: 12345 });
    expect(value).toMatchObject({
      status: 100,
      clientMessage: 'Check Canceled',
      notificationId,
      participantUniqueId1: puid1,
      reasonCode: '75',
      idempotentReplay: false,
    });
    const again = await client().checks.cancel(request);
    expect(again).toMatchObject({ status: 101, idempotentReplay: true });
  });

  it('stop stops payment: POST /gateway/checkstop with reason 77 or 78', async () => {
    const { puid1, tracerId } = await stagedCheck();
    const { value, requests } = await received(() =>
      client().checks.stop({ participant_unique_id1: puid1, tracer_id: tracerId, reason_code: 78, check_number: '42' }),
    );
    expect(requests[0]!.url).toBe('/gateway/checkstop');
    expect(value).toMatchObject({ status: 100, clientMessage: 'Check Stopped', reasonCode: '78', checkNumber: '42' });
  });

  it('validates reason codes before sending: void 73–76, stop 77–78', async () => {
    const base = { participant_unique_id1: 'pay-x', tracer_id: 'trc-x' };
    for (const [call, reason_code] of [
      [(r: typeof base & { reason_code: number }) => client().checks.cancel(r), 77],
      [(r: typeof base & { reason_code: number }) => client().checks.stop(r), 75],
      [(r: typeof base & { reason_code: number }) => client().checks.cancel(r), 0],
    ] as const) {
      const { error, requests } = await received(() => call({ ...base, reason_code }));
      expect(requests).toHaveLength(0);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ path: 'reason_code', rule: 'enum' }),
      ]);
    }
  });

  it('a refusal in status_code is an IngoStateError', async () => {
    const { error } = await received(() =>
      client().checks.stop({ participant_unique_id1: uid(), tracer_id: 'trc-none', reason_code: 77 }),
    );
    expect(error).toBeInstanceOf(IngoStateError);
    expect(error).toMatchObject({ status: 782 });
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

  it('generates a tracer_id when the transaction has none, and normalizes party phone spellings', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test edits the example freely
    const body = exampleManagedStage() as Record<string, any>;
    delete body.transaction.tracer_id;
    body.transaction.participant_unique_ids.participant_unique_id1 = uid('mp');
    body.transaction_parties[0].contact_telcom.phone_mobile = '(512) 555-0100';
    const { value, error, requests } = await received(() => client().managed.stage(body as never));
    expect(error).toBeUndefined();
    const sent = JSON.parse(requests[0]!.body.toString());
    expect(sent.transaction.tracer_id).toMatch(/^trc-[0-9a-f-]{36}$/);
    expect(value!.tracerId).toBe(sent.transaction.tracer_id);
    expect(sent.transaction_parties[0].contact_telcom.phone_mobile).toBe('5125550100');
  });

  it('cancels a v4 payout through notifycancel with its participant_unique_id1 and tracer_id', async () => {
    const body = exampleManagedStage();
    body.transaction.participant_unique_ids.participant_unique_id1 = uid('mp');
    const staged = await client().managed.stage(body as unknown as ManagedStageInput);
    const { value, error, requests } = await received(() =>
      client().notify.cancel(managedCancelFields(validateManagedStageRequest(body), staged.tracerId)),
    );
    expect(error).toBeUndefined();
    expect(requests[0]!.url).toBe('/gateway/v3/notifycancel');
    expect(value).toMatchObject({ status: 100, notificationId: staged.notificationId, idempotentReplay: false });
  });

  it('refuses an amount with 3 decimals and USD-less currency before sending', async () => {
    const body = exampleManagedStage() as unknown as { transaction: { transaction_amount: Record<string, unknown> } };
    body.transaction.transaction_amount = { amount: 10.005, currency_code: 'CAD' };
    const { error, requests } = await received(() => client().managed.stage(body as unknown as ManagedStageInput));
    expect(requests).toHaveLength(0);
    expect((error as ValidationError).issues).toEqual([
      expect.objectContaining({ path: 'transaction.transaction_amount.amount', rule: 'format' }),
      expect.objectContaining({ path: 'transaction.transaction_amount.currency_code', rule: 'enum' }),
    ]);
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
    ['rateLimit of zero', { rateLimit: { requestsPerSecond: 0 } }],
    ['fractional rateLimit', { rateLimit: { requestsPerSecond: 2.5 } }],
    ['rateLimit not an object', { rateLimit: 5 }],
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

    // Ingo's 600 arrives as the IngoApiError subclass of its range.
    expect(errors.map((e) => (e as Error).constructor.name).sort()).toEqual(
      ['AuthenticationError', 'IngoValidationError', 'NetworkError', 'ValidationError'].sort(),
    );
    expect(errors.filter((e) => e instanceof IngoApiError)).toHaveLength(1);
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
