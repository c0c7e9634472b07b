import { describe, expect, it } from 'vitest';
import { ev, local, run } from '../../test/support/lifecycle-events.js';
import { CATALOG_TOPICS as C, QUICKSTART_TOPICS as Q } from '../topics/catalog.js';
import { canCancel, cancelRefusalReason } from './cancel.js';
import type { LifecycleEvent } from './events.js';
import { DISBURSEMENT_STATUSES, type DisbursementStatus, STATUS_RANK } from './statuses.js';

describe('cancel', () => {
  const states: [DisbursementStatus, LifecycleEvent[]][] = [
    ['pending', []],
    ['staged', [local('stage_accepted')]],
    ['notified', [ev(C.recipientNotificationSent)]],
    ['bounced', [ev(C.recipientNotificationBounced)]],
    ['viewed', [ev(C.recipientNotificationReceived)]],
    ['authenticated', [ev(C.recipientAuthenticationSuccess)]],
    ['claimed', [ev(C.tokenizationSuccess)]],
    ['approved', [ev(Q.paymentApproved)]],
    ['funded', [ev(C.paymentSuccess)]],
    ['failed', [ev(C.paymentTerminated)]],
    ['canceled', [local('cancel_accepted')]],
    ['expired', [ev(C.disbursementExpired)]],
    ['returned', [ev(C.paymentSuccess), ev(C.paymentReturned)]],
  ];

  it('covers every status', () => {
    expect(states.map(([s]) => s).sort()).toEqual([...DISBURSEMENT_STATUSES].sort());
  });

  for (const [status, events] of states) {
    const allowed = STATUS_RANK[status] <= STATUS_RANK.authenticated;
    it(`${allowed ? 'allows' : 'refuses'} a cancel when ${status}`, () => {
      const state = run(events);
      expect(state.status).toBe(status);
      expect(canCancel(state)).toBe(allowed);
      const reason = cancelRefusalReason(state);
      if (allowed) expect(reason).toBeUndefined();
      else expect(reason).toContain(status);
    });
  }
});
