import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';

type ErrorsModule = typeof errors;

/** One instance of every error class, built from whichever copy of the module is given. */
function everyError(m: ErrorsModule) {
  return {
    NotifykitError: new m.NotifykitError('base', 'ERR_SOMETHING'),
    ConfigurationError: new m.ConfigurationError('bad option'),
    ValidationError: new m.ValidationError([{ path: 'amount', rule: 'range', message: 'must be greater than 0' }]),
    SignatureVerificationError: new m.SignatureVerificationError(
      'ERR_SIGNATURE_MISMATCH',
      m.SIGNATURE_MESSAGES.mismatch,
      'signature does not match',
    ),
    WebhookVerificationError: new m.WebhookVerificationError('ERR_WEBHOOK_NO_SIGNATURE', 'no header'),
    IngoApiError: new m.IngoApiError({ status: 780, clientMessage: 'already claimed', httpStatus: 200 }),
    AuthenticationError: new m.AuthenticationError('HMAC signature does not match'),
    HttpError: new m.HttpError(502, 'bad gateway'),
    NetworkError: new m.NetworkError('ECONNRESET'),
    TimeoutError: new m.TimeoutError(100),
    AbortError: new m.AbortError(),
    ResponseParseError: new m.ResponseParseError('not an envelope', 200),
    CancelOutcomeUnknownError: new m.CancelOutcomeUnknownError({
      uncertainAttempt: 'ERR_TIMEOUT',
      refusal: new m.IngoApiError({ status: 780, clientMessage: 'already claimed', httpStatus: 200 }),
    }),
  } as const;
}

type ErrorName = keyof ReturnType<typeof everyError>;

const STABLE_CODES: Record<ErrorName, string> = {
  NotifykitError: 'ERR_SOMETHING',
  ConfigurationError: 'ERR_CONFIGURATION',
  ValidationError: 'ERR_VALIDATION',
  SignatureVerificationError: 'ERR_SIGNATURE_MISMATCH',
  WebhookVerificationError: 'ERR_WEBHOOK_NO_SIGNATURE',
  IngoApiError: 'ERR_INGO_API',
  AuthenticationError: 'ERR_AUTHENTICATION',
  HttpError: 'ERR_HTTP',
  NetworkError: 'ERR_NETWORK',
  TimeoutError: 'ERR_TIMEOUT',
  AbortError: 'ERR_ABORTED',
  ResponseParseError: 'ERR_RESPONSE_PARSE',
  CancelOutcomeUnknownError: 'ERR_CANCEL_OUTCOME_UNKNOWN',
};

const NAMES = Object.keys(STABLE_CODES) as ErrorName[];

type ErrorClass = abstract new (...args: never[]) => Error;

/** The classes of one copy of the module, by name. */
function classesOf(m: ErrorsModule): Record<ErrorName, ErrorClass> {
  return {
    NotifykitError: m.NotifykitError,
    ConfigurationError: m.ConfigurationError,
    ValidationError: m.ValidationError,
    SignatureVerificationError: m.SignatureVerificationError,
    WebhookVerificationError: m.WebhookVerificationError,
    IngoApiError: m.IngoApiError,
    AuthenticationError: m.AuthenticationError,
    HttpError: m.HttpError,
    NetworkError: m.NetworkError,
    TimeoutError: m.TimeoutError,
    AbortError: m.AbortError,
    ResponseParseError: m.ResponseParseError,
    CancelOutcomeUnknownError: m.CancelOutcomeUnknownError,
  };
}

const LOCAL = classesOf(errors);

describe('error codes', () => {
  it.each(NAMES)('%s has its stable code, its class name and is a NotifykitError and an Error', (name) => {
    const error = everyError(errors)[name];
    expect(error.code).toBe(STABLE_CODES[name]);
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(errors.NotifykitError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(LOCAL[name]);
  });

  it('is not an instance of an unrelated class', () => {
    const all = everyError(errors);
    for (const a of NAMES) {
      for (const b of NAMES) {
        if (a === b || b === 'NotifykitError') continue;
        expect(all[a] instanceof LOCAL[b], `${a} instanceof ${b}`).toBe(false);
      }
    }
  });

  it('classifies Ingo status codes by family (docs/ingo-contract.md §2)', () => {
    const families: [number, errors.IngoErrorFamily][] = [
      [400, 'validation'],
      [401, 'validation'],
      [402, 'auth'],
      [499, 'auth'],
      [500, 'retryable'],
      [503, 'retryable'],
      [599, 'retryable'],
      [600, 'validation'],
      [601, 'validation'],
      [610, 'validation'],
      [742, 'validation'],
      [779, 'validation'],
      [780, 'state'],
      [783, 'state'],
      [787, 'state'],
      [788, 'validation'],
      [867, 'validation'],
      // 104 "in progress": ask again later. 9xx "general system": retried like 5xx (a Decision).
      [104, 'retryable'],
      [900, 'retryable'],
      [999, 'retryable'],
      [1000, 'unknown'],
      [1100, 'unknown'],
    ];
    for (const [status, family] of families)
      expect([status, errors.classifyIngoStatus(status)]).toEqual([status, family]);
    const retryable = new errors.IngoApiError({ status: 502, clientMessage: 'down', httpStatus: 200 });
    expect([retryable.family, retryable.retryable]).toEqual(['retryable', true]);
    const state = new errors.IngoApiError({ status: 781, clientMessage: 'terminal', httpStatus: 200 });
    expect([state.family, state.retryable]).toEqual(['state', false]);
    const system = errors.IngoApiError.generate({ status: 905, clientMessage: 'general system', httpStatus: 200 });
    expect(system).toBeInstanceOf(errors.IngoSystemError);
    expect([system.family, system.retryable]).toEqual(['retryable', true]);
  });

  it('IngoInProgressError: status 104 never finished, an IngoApiError with its own code', () => {
    const error = new errors.IngoInProgressError(
      { status: 104, clientMessage: 'In Progress - Idempotent Response', httpStatus: 200, requestId: 'r-1' },
      3,
    );
    expect(error).toBeInstanceOf(errors.IngoApiError);
    expect(error).toBeInstanceOf(errors.NotifykitError);
    expect(error).toMatchObject({ code: 'ERR_INGO_IN_PROGRESS', status: 104, attempts: 3, retryable: true });
    expect(error.name).toBe('IngoInProgressError');
    expect(error.message).toMatch(/still in progress after 3 attempt\(s\)/);
    expect(
      new errors.IngoApiError({ status: 104, clientMessage: '', httpStatus: 200 }) instanceof
        errors.IngoInProgressError,
    ).toBe(false);
  });

  it('CancelOutcomeUnknownError keeps the refusal and the uncertain attempt, and says the outcome is unknown', () => {
    const refusal = errors.IngoApiError.generate({ status: 780, clientMessage: 'already claimed', httpStatus: 200 });
    const error = new errors.CancelOutcomeUnknownError({ uncertainAttempt: 'ERR_TIMEOUT', refusal });
    expect(error).toMatchObject({ code: 'ERR_CANCEL_OUTCOME_UNKNOWN', refusal, uncertainAttempt: 'ERR_TIMEOUT' });
    expect(error.cause).toBe(refusal);
    expect(error instanceof errors.IngoApiError).toBe(false);
    expect(error.message).toMatch(/outcome is unknown/);
    expect(error.message).toMatch(/780/);
    const timeout = new errors.TimeoutError(100);
    const unanswered = new errors.CancelOutcomeUnknownError({ uncertainAttempt: 'ERR_NETWORK', lastError: timeout });
    expect(unanswered).toMatchObject({ refusal: undefined, uncertainAttempt: 'ERR_NETWORK' });
    expect(unanswered.cause).toBe(timeout);
    expect(unanswered.message).toMatch(/no attempt was answered \(last: ERR_TIMEOUT\)/);
  });

  it('HttpError is retryable for 5xx and 429 only', () => {
    for (const status of [500, 502, 503, 504, 429]) expect(new errors.HttpError(status, 'x').retryable).toBe(true);
    for (const status of [400, 403, 404, 408, 409, 413, 422])
      expect(new errors.HttpError(status, 'x').retryable).toBe(false);
  });

  it('ValidationError summarizes at most five issues and keeps them all', () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}`, rule: 'required', message: 'is required' }));
    const error = new errors.ValidationError(issues, 'stage request');
    expect(error.message).toBe(
      'Invalid stage request: f0: is required; f1: is required; f2: is required; f3: is required; f4: is required (+2 more)',
    );
    expect(error.issues).toHaveLength(7);
  });
});

// A query string makes Vite evaluate errors.ts a second time: a second module instance with its own
// classes, as when two versions of @notifykit/sdk end up in one node_modules tree.
const specifier = './errors.js?second-copy';
const secondCopy = async () => (await import(/* @vite-ignore */ specifier)) as ErrorsModule;

describe('instanceof across two copies of the package', () => {
  it('really is a second copy: its classes are other objects and the prototype chain does not connect them', async () => {
    const other = await secondCopy();
    expect(other.ValidationError).not.toBe(errors.ValidationError);
    const foreign = everyError(other).ValidationError;
    // The ordinary prototype-chain check fails; only the brand makes `instanceof` below succeed.
    expect(Function.prototype[Symbol.hasInstance].call(errors.ValidationError, foreign)).toBe(false);
    expect(Function.prototype[Symbol.hasInstance].call(errors.NotifykitError, foreign)).toBe(false);
  });

  it.each(NAMES)(
    '%s: an instance from either copy is an instance of the same class of the other copy',
    async (name) => {
      const other = await secondCopy();
      const foreign = everyError(other)[name];
      const local = everyError(errors)[name];
      expect(foreign instanceof LOCAL[name]).toBe(true);
      expect(foreign instanceof errors.NotifykitError).toBe(true);
      expect(local instanceof classesOf(other)[name]).toBe(true);
      expect(local instanceof other.NotifykitError).toBe(true);
      for (const unrelated of NAMES) {
        if (unrelated === name || unrelated === 'NotifykitError') continue;
        expect(foreign instanceof LOCAL[unrelated], `${name} instanceof ${unrelated}`).toBe(false);
      }
    },
  );

  it('values without the brand are not notifykit errors', () => {
    for (const value of [null, undefined, 42, 'ERR_VALIDATION', {}, new Error('plain'), { code: 'ERR_VALIDATION' }]) {
      expect(value instanceof errors.NotifykitError).toBe(false);
      expect(value instanceof errors.ValidationError).toBe(false);
    }
  });

  it('a subclass declaring no kind of its own uses the ordinary prototype check', async () => {
    class RefusedCancel extends errors.IngoApiError {}
    const mine = new RefusedCancel({ status: 780, clientMessage: 'claimed', httpStatus: 200 });
    const plain = new errors.IngoApiError({ status: 780, clientMessage: 'claimed', httpStatus: 200 });
    expect(mine).toBeInstanceOf(RefusedCancel);
    expect(mine).toBeInstanceOf(errors.IngoApiError);
    expect(mine).toBeInstanceOf((await secondCopy()).IngoApiError);
    expect(plain instanceof RefusedCancel).toBe(false);
  });
});

describe('IngoApiError.generate: one subclass per status range of docs/ingo-contract.md §2', () => {
  const SUBCLASSES = {
    IngoRequestError: errors.IngoRequestError,
    IngoSystemError: errors.IngoSystemError,
    IngoValidationError: errors.IngoValidationError,
    IngoTransactionError: errors.IngoTransactionError,
    IngoCardError: errors.IngoCardError,
    IngoStateError: errors.IngoStateError,
    IngoIssuerDeclineError: errors.IngoIssuerDeclineError,
  } as const;
  type Subclass = keyof typeof SUBCLASSES;

  // Every boundary of every range, and the first code outside it on each side.
  const EXPECTED: [status: number, subclass: Subclass | undefined][] = [
    [100, undefined],
    [111, undefined],
    [399, undefined],
    [400, 'IngoRequestError'],
    [401, 'IngoRequestError'],
    [402, 'IngoRequestError'],
    [499, 'IngoRequestError'],
    [500, 'IngoSystemError'],
    [503, 'IngoSystemError'],
    [599, 'IngoSystemError'],
    [600, 'IngoValidationError'],
    [610, 'IngoValidationError'],
    [616, 'IngoValidationError'],
    [617, undefined],
    [699, undefined],
    [700, 'IngoTransactionError'],
    [742, 'IngoTransactionError'],
    [743, undefined],
    [749, undefined],
    [750, 'IngoCardError'],
    [779, 'IngoCardError'],
    [780, 'IngoStateError'],
    [781, 'IngoStateError'],
    [782, 'IngoStateError'],
    [783, 'IngoStateError'],
    [787, 'IngoStateError'],
    [788, 'IngoCardError'],
    [815, 'IngoCardError'],
    [816, undefined],
    [850, undefined],
    [851, 'IngoIssuerDeclineError'],
    [867, 'IngoIssuerDeclineError'],
    [868, undefined],
    [899, undefined],
    [900, 'IngoSystemError'],
    [999, 'IngoSystemError'],
    [1000, undefined],
    [1100, undefined],
  ];

  it.each(EXPECTED)('status %i → %s', (status, subclass) => {
    const init = { status, clientMessage: 'refused', httpStatus: 200, requestId: 'req-1', raw: { status } };
    const error = errors.IngoApiError.generate(init);
    expect(error).toBeInstanceOf(errors.IngoApiError);
    expect(error).toBeInstanceOf(errors.NotifykitError);
    expect(error.name).toBe(subclass ?? 'IngoApiError');
    for (const [name, cls] of Object.entries(SUBCLASSES)) {
      expect(error instanceof cls, `${status} instanceof ${name}`).toBe(name === subclass);
    }
    // Everything an IngoApiError carries is the same whatever the subclass; `family` stays as it was.
    expect(error).toMatchObject({
      code: 'ERR_INGO_API',
      status,
      clientMessage: 'refused',
      httpStatus: 200,
      requestId: 'req-1',
      raw: { status },
      family: errors.classifyIngoStatus(status),
      message: `Ingo status ${status}: refused`,
    });
    expect(error.retryable).toBe(errors.classifyIngoStatus(status) === 'retryable');
  });

  it('a subclass is an instance across two copies of the package, and not of its siblings', async () => {
    const other = await secondCopy();
    const foreign = other.IngoApiError.generate({ status: 781, clientMessage: 'terminal', httpStatus: 200 });
    expect(foreign).toBeInstanceOf(errors.IngoStateError);
    expect(foreign).toBeInstanceOf(errors.IngoApiError);
    expect(foreign).toBeInstanceOf(errors.NotifykitError);
    expect(foreign instanceof errors.IngoCardError).toBe(false);
    const local = errors.IngoApiError.generate({ status: 610, clientMessage: 'velocity', httpStatus: 200 });
    expect(local).toBeInstanceOf(other.IngoValidationError);
    expect(local instanceof other.IngoStateError).toBe(false);
    // A plain IngoApiError is none of the subclasses, in either copy.
    const plain = new errors.IngoApiError({ status: 780, clientMessage: 'claimed', httpStatus: 200 });
    expect(plain instanceof errors.IngoStateError).toBe(false);
    expect(plain instanceof other.IngoStateError).toBe(false);
  });
});
