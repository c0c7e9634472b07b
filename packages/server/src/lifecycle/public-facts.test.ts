import { type DisbursementState, initialState } from '@notifykit/sdk';
import { describe, expect, it } from 'vitest';
import {
  attentionOf,
  authenticationOf,
  bounceTime,
  holdOf,
  lastCancelRequest,
  paymentMethodOf,
} from './public-facts.js';

const state = (patch: Partial<DisbursementState>): DisbursementState => ({ ...initialState(), ...patch });

describe('holdOf', () => {
  it('is active with the open suspensions as reasons, only while the reducer says on hold', () => {
    expect(holdOf(state({}))).toEqual({ active: false, reasons: [] });
    expect(holdOf(state({ onHold: true, holds: { ofac: 'open', approvals: 'none' } }))).toEqual({
      active: true,
      reasons: ['ofac'],
    });
    expect(holdOf(state({ onHold: true, holds: { ofac: 'open', approvals: 'open' } })).reasons).toEqual([
      'ofac',
      'approvals',
    ]);
    // A terminal payout is never on hold, whatever suspension was left open.
    expect(holdOf(state({ onHold: false, holds: { ofac: 'open', approvals: 'none' } }))).toEqual({
      active: false,
      reasons: [],
    });
  });
});

describe('paymentMethodOf', () => {
  it('is null until a method is chosen, then the type and only the last 4 of the account id', () => {
    expect(paymentMethodOf(state({}))).toBeNull();
    expect(
      paymentMethodOf(state({ accountType: 'CA', accountId: '493817265', accountTokenRef: 'tok_secret_ref' })),
    ).toEqual({ account_type: 'CA', account_id_last4: '7265' });
    expect(paymentMethodOf(state({ accountType: 'CK' }))).toEqual({ account_type: 'CK', account_id_last4: null });
  });

  it('never shows an account id too short to mask', () => {
    expect(paymentMethodOf(state({ accountType: 'AC', accountId: '1234' }))).toEqual({
      account_type: 'AC',
      account_id_last4: null,
    });
  });
});

describe('authenticationOf', () => {
  it("reports Ingo's attempt counts and passed once the furthest step is authenticated or later", () => {
    expect(authenticationOf(state({}), { furthest_rank: 3 })).toEqual({
      attempts: null,
      max_attempts: null,
      passed: false,
    });
    expect(authenticationOf(state({ authAttempts: 2, maxAuthAttempts: 3 }), { furthest_rank: 4 })).toEqual({
      attempts: 2,
      max_attempts: 3,
      passed: true,
    });
    expect(authenticationOf(state({}), { furthest_rank: 7 }).passed).toBe(true);
  });
});

describe('bounceTime', () => {
  it("is the latest notification event's time, null when the event carried none", () => {
    const at = Date.UTC(2026, 0, 2);
    const bounced = (atMs: number) =>
      state({
        status: 'bounced',
        evidence: {
          ...initialState().evidence,
          latestNotification: { status: 'bounced', stamp: { atMs, tie: 1, id: 'e' } },
        },
      });
    expect(bounceTime(bounced(at))).toBe(at);
    expect(bounceTime(bounced(0))).toBeNull();
    expect(bounceTime(state({}))).toBeNull();
  });
});

describe('lastCancelRequest', () => {
  const t = (kind: string, at: number) => ({ kind, at });
  it('is the last cancel on the timeline and what came of it', () => {
    expect(lastCancelRequest([t('created', 1), t('staged', 2)], 'staged')).toEqual({
      requested_at: null,
      outcome: null,
    });
    expect(lastCancelRequest([t('cancel_failed', 3)], 'staged')).toEqual({ requested_at: 3, outcome: 'unknown' });
    expect(lastCancelRequest([t('cancel_failed', 3), t('cancel_refused', 4)], 'staged')).toEqual({
      requested_at: 4,
      outcome: 'refused',
    });
    expect(lastCancelRequest([t('canceled', 5)], 'canceled')).toEqual({ requested_at: 5, outcome: 'accepted' });
  });

  it('an unanswered cancel of a payout that ended canceled was accepted', () => {
    expect(lastCancelRequest([t('cancel_failed', 3), t('event', 9)], 'canceled')).toEqual({
      requested_at: 3,
      outcome: 'accepted',
    });
  });

  it('a cancel with an unknown outcome stays unknown while a cancel could still take effect, then settles', () => {
    const unknown = [t('cancel_outcome_unknown', 3)];
    for (const status of ['notified', 'viewed', 'bounced', 'authenticated']) {
      expect(lastCancelRequest(unknown, status)).toEqual({ requested_at: 3, outcome: 'unknown' });
    }
    expect(lastCancelRequest(unknown, 'canceled')).toEqual({ requested_at: 3, outcome: 'accepted' });
    // The payout went on: the cancel did not take effect.
    for (const status of ['claimed', 'approved', 'funded', 'expired', 'failed']) {
      expect(lastCancelRequest(unknown, status)).toEqual({ requested_at: 3, outcome: 'refused' });
    }
  });
});

describe('attentionOf', () => {
  const fact = (patch: Partial<{ at: string; reasonCode: string; partyId: string }> = {}) => ({
    at: '2026-01-02T03:04:05.000Z',
    eventId: 'evt-1',
    reasonCode: undefined,
    partyId: undefined,
    ...patch,
  });
  const codes = (flags: { code: string }[]) => flags.map((f) => f.code);

  it('surfaces the lifecycle flags with a message and their time', () => {
    const flags = attentionOf(
      { status: 'approved' },
      state({
        authAttempts: 3,
        attention: {
          authentication_exhausted: fact(),
          approver_declined: fact({ partyId: 'party-9' }),
          check_canceled: fact({ reasonCode: '74' }),
          check_stopped: fact({ reasonCode: '77' }),
        },
      }),
      undefined,
    );
    expect(codes(flags)).toEqual(['authentication_exhausted', 'approver_declined', 'check_canceled', 'check_stopped']);
    expect(flags[0]).toEqual({
      code: 'authentication_exhausted',
      message: expect.stringMatching(/failed authentication 3 time\(s\) with a hard mismatch/),
      at: Date.parse('2026-01-02T03:04:05.000Z'),
    });
    expect(flags[1]!.message).toContain('party-9');
    expect(flags[2]!.message).toContain('reason 74 undelivered');
    expect(flags[3]!.message).toContain('reason 77');
  });

  it('drops the lifecycle facts once the payout is funded (a later success leaves nothing to do)', () => {
    const facts = state({ attention: { authentication_exhausted: fact(), check_canceled: fact({ at: undefined }) } });
    expect(attentionOf({ status: 'funded' }, facts, undefined)).toEqual([]);
    expect(attentionOf({ status: 'returned' }, facts, undefined)).toEqual([]);
    const failed = attentionOf({ status: 'failed' }, facts, undefined);
    expect(codes(failed)).toEqual(['authentication_exhausted', 'check_canceled']);
    expect(failed[1]!.at).toBeNull();
  });

  it('cancel_outcome_unknown, a bounce and a retrying stage call', () => {
    const flags = attentionOf(
      { status: 'bounced' },
      state({ attention: { cancel_outcome_unknown: fact({ at: '2026-01-02T00:00:00.000Z' }) } }),
      { attempts: 2, next_attempt_at: Date.UTC(2026, 0, 3), last_error: 'ERR_NETWORK: down', created_at: 5 },
    );
    expect(codes(flags)).toEqual(['notification_bounced', 'stage_retrying', 'cancel_outcome_unknown']);
    expect(flags[2]!.message).toMatch(/outcome|unknown/);
    expect(flags[1]).toMatchObject({ at: 5 });
  });
});
