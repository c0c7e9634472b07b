import { describe, expect, it } from 'vitest';
import * as errors from '../errors.js';
import { httpStatusOf } from './error-handler.js';

const examples: [errors.ApiError, number][] = [
  [new errors.InvalidRequest('validation_failed', 'x'), 422],
  [new errors.InvalidRequest('invalid_query', 'x'), 400],
  [new errors.InvalidRequest('invalid_id', 'x'), 400],
  [new errors.InvalidRequest('invalid_cursor', 'x'), 400],
  [new errors.InvalidIdempotencyKey('x'), 400],
  [new errors.IdempotencyKeyMismatch('x'), 422],
  [new errors.UnknownParticipant('x'), 422],
  [new errors.Unauthorized('x'), 401],
  [new errors.Forbidden('x'), 403],
  [new errors.RateLimited('x', { retry_after_s: 3 }), 429],
  [new errors.DisbursementNotFound('dsb_1'), 404],
  [new errors.IdempotencyKeyReused('dsb_1'), 409],
  [new errors.CancelNotAllowed('x', 'claimed'), 409],
  [new errors.CancelRefusedByIngo('x', 'state', { ingo_status: 781, status: 'staged' }), 409],
  [new errors.CancelRefusedByIngo('x', 'request', { ingo_status: 410, status: 'staged' }), 422],
  [new errors.IngoUnavailable('x'), 502],
  [new errors.CancelNotRecorded('x'), 500],
  [new errors.CheckActionNotAllowed('x', 'claimed'), 409],
  [new errors.CheckActionRefusedByIngo('x', 'state', { ingo_status: 784, status: 'approved' }), 409],
  [new errors.CheckActionRefusedByIngo('x', 'request', { ingo_status: 600, status: 'approved' }), 422],
  [new errors.WebhookUnauthenticated('missing_signature', 'x'), 401],
  [new errors.WebhookUnauthenticated('invalid_signature', 'x'), 401],
  [new errors.WebhookRejected('malformed_json', 'x'), 400],
  [new errors.WebhookRejected('not_an_envelope', 'x'), 400],
  [new errors.WebhookRejected('invalid_webhook', 'x'), 400],
  [new errors.WebhookNotCommitted(new Error('db down')), 503],
];

describe('the HTTP mapping of application errors', () => {
  it.each(examples.map(([error, status]) => [error.name, error.code, status, error] as const))(
    '%s (%s) → %i',
    (_name, _code, status, error) => {
      expect(httpStatusOf(error)).toBe(status);
    },
  );

  it('covers every error class errors.ts exports', () => {
    const classes: unknown[] = Object.values(errors).filter(
      (value) => typeof value === 'function' && value.prototype instanceof errors.ApiError,
    );
    const covered = new Set<unknown>(examples.map(([error]) => error.constructor));
    expect(classes.filter((c) => !covered.has(c)).map((c) => (c as { name: string }).name)).toEqual([]);
    expect(classes.length).toBeGreaterThan(10);
  });

  it('names each error after its class and keeps the cause of a failed commit', () => {
    const cause = new Error('disk full');
    const error = new errors.WebhookNotCommitted(cause);
    expect(error.name).toBe('WebhookNotCommitted');
    expect(error.cause).toBe(cause);
    expect(new errors.IdempotencyKeyReused('dsb_1').details).toEqual({ disbursement_id: 'dsb_1' });
    const details = { ingo_status: 784, status: 'approved' };
    expect(new errors.CancelRefusedByIngo('already claimed', 'state', details).message).toBe(
      'Ingo refused the cancel: already claimed',
    );
    expect(new errors.CheckActionRefusedByIngo('no issued check', 'state', details)).toMatchObject({
      message: 'Ingo refused the check action: no issued check',
      details,
      because: 'state',
    });
    expect(new errors.CheckActionNotAllowed('not a check payout', 'claimed').details).toEqual({ status: 'claimed' });
  });
});
