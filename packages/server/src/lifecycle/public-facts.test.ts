import { type DisbursementState, initialState } from '@notifykit/sdk';
import { describe, expect, it } from 'vitest';
import { authenticationOf, bounceTime, holdOf, lastCancelRequest, paymentMethodOf } from './public-facts.js';

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
});
