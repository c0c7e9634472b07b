import { describe, expect, it } from 'vitest';
import { ingoEvent } from '../../test/support/ingo-event-factory.js';
import {
  APPROVER,
  APPROVER_2,
  deepFreeze,
  ev,
  local,
  RECIPIENT,
  run,
  statusAfter,
} from '../../test/support/lifecycle-events.js';
import { CATALOG_TOPICS as C, QUICKSTART_TOPICS as Q } from '../topics/catalog.js';
import { applyEvent } from './reducer.js';
import { type DisbursementState, initialState } from './state.js';

describe('one row of the table at a time', () => {
  it('pending: a new disbursement', () => {
    const state = initialState();
    expect(state.status).toBe('pending');
    expect(state.onHold).toBe(false);
    expect(state.appliedEventIds).toEqual([]);
    expect(initialState()).not.toBe(state);
  });

  it('staged: stage response 100/101', () => {
    expect(statusAfter([local('stage_accepted')])).toBe('staged');
  });

  it('notified: notification sent in either dialect, and party sent for the recipient', () => {
    expect(statusAfter([local('stage_accepted'), ev(C.recipientNotificationSent)])).toBe('notified');
    expect(statusAfter([ev(Q.notificationSent)])).toBe('notified');
    expect(statusAfter([ev(`gateway.${Q.notificationSent}`)])).toBe('notified');
    // Classic: no party_id, the recipient is the only party.
    expect(statusAfter([ev(C.partyNotificationSent)])).toBe('notified');
    expect(statusAfter([ev(C.partyNotificationSent, { partyId: RECIPIENT })], { recipientPartyId: RECIPIENT })).toBe(
      'notified',
    );
  });

  it('notified: an approver’s notification does not count, nor an unattributable party event', () => {
    expect(statusAfter([ev(C.partyNotificationSent, { partyId: APPROVER })], { recipientPartyId: RECIPIENT })).toBe(
      'pending',
    );
    const state = run([local('stage_accepted'), ev(C.partyNotificationSent, { partyId: APPROVER })]);
    expect(state.status).toBe('staged');
    expect(state.appliedEventIds).toHaveLength(2);
  });

  it('bounced: notification bounced (recipient, or party for the recipient)', () => {
    expect(statusAfter([ev(C.recipientNotificationSent), ev(C.recipientNotificationBounced)])).toBe('bounced');
    expect(statusAfter([ev(C.partyNotificationBounced, { partyId: RECIPIENT })], { recipientPartyId: RECIPIENT })).toBe(
      'bounced',
    );
  });

  it('bounced ↔ notified/viewed: a re-sent notification moves it on', () => {
    expect(statusAfter([ev(C.recipientNotificationBounced), ev(C.recipientNotificationSent)])).toBe('notified');
    expect(statusAfter([ev(C.recipientNotificationBounced), ev(C.recipientNotificationReceived)])).toBe('viewed');
    expect(statusAfter([ev(C.recipientNotificationReceived), ev(C.recipientNotificationBounced)])).toBe('bounced');
    // Received before the re-send: once seen, never back to merely notified.
    expect(
      statusAfter([
        ev(C.recipientNotificationReceived),
        ev(C.recipientNotificationBounced),
        ev(C.recipientNotificationSent),
      ]),
    ).toBe('viewed');
  });

  it('bounced ↔ notified is decided by event time, not by arrival order', () => {
    const sent = ev(C.recipientNotificationSent);
    const bounced = ev(C.recipientNotificationBounced);
    expect(statusAfter([sent, bounced])).toBe('bounced');
    expect(statusAfter([bounced, sent])).toBe('bounced');
  });

  it('viewed: notification received (recipient, or party for the recipient)', () => {
    expect(statusAfter([ev(C.recipientNotificationReceived)])).toBe('viewed');
    expect(
      statusAfter([ev(C.partyNotificationReceived, { partyId: RECIPIENT })], { recipientPartyId: RECIPIENT }),
    ).toBe('viewed');
  });

  it('authenticated: authentication success/complete, OTAC validation success, dynamic validation for the recipient', () => {
    expect(statusAfter([ev(C.recipientAuthenticationSuccess)])).toBe('authenticated');
    expect(statusAfter([ev(Q.authenticationComplete)])).toBe('authenticated');
    expect(statusAfter([ev(C.partyOtacValidationSuccess)])).toBe('authenticated');
    expect(
      statusAfter([ev(C.partyDynamicValidationSuccess, { partyId: RECIPIENT })], { recipientPartyId: RECIPIENT }),
    ).toBe('authenticated');
    expect(
      statusAfter([ev(C.partyDynamicValidationSuccess, { partyId: APPROVER })], { recipientPartyId: RECIPIENT }),
    ).toBe('pending');
  });

  it('claimed: tokenization success in either dialect, with the account facts', () => {
    const state = run([
      ev(C.recipientAuthenticationSuccess),
      ev(C.tokenizationSuccess, {
        event: { customer_account_token: 'tok_1', account_type: 'CA', account_id: '4111' },
      }),
    ]);
    expect(state.status).toBe('claimed');
    expect(state).toMatchObject({ accountType: 'CA', accountTokenRef: 'tok_1', accountId: '4111' });
    expect(statusAfter([ev(Q.tokenizationComplete)])).toBe('claimed');
  });

  it('approved: payment approved, approvals complete, check chosen or issued', () => {
    expect(statusAfter([ev(Q.paymentApproved)])).toBe('approved');
    expect(statusAfter([ev(C.approvalsComplete)])).toBe('approved');
    expect(statusAfter([ev(C.checkChosen)])).toBe('approved');
    expect(statusAfter([ev(C.checkIssued)])).toBe('approved');
    expect(run([ev(C.checkChosen)]).accountType).toBe('CK');
  });

  it('funded: payment funded/success, check paid', () => {
    expect(statusAfter([ev(Q.paymentFunded)])).toBe('funded');
    expect(statusAfter([ev(C.paymentSuccess)])).toBe('funded');
    expect(statusAfter([ev(C.checkChosen), ev(C.checkIssued), ev(C.checkPaid)])).toBe('funded');
  });

  it("failed: only Ingo's explicit terminations — terminated, payment failure, OFAC failure", () => {
    expect(statusAfter([ev(C.paymentTerminated)])).toBe('failed');
    expect(statusAfter([ev(C.paymentFailure)])).toBe('failed');
    expect(statusAfter([ev(C.ofacSuspended), ev(C.ofacFailure)])).toBe('failed');
  });

  it('canceled: cancel accepted locally, or the disbursement canceled event', () => {
    expect(statusAfter([local('stage_accepted'), local('cancel_accepted')])).toBe('canceled');
    expect(statusAfter([ev(C.recipientNotificationSent), ev(C.disbursementCanceled)])).toBe('canceled');
  });

  it('expired: the disbursement expired event', () => {
    expect(statusAfter([ev(C.recipientNotificationSent), ev(C.disbursementExpired)])).toBe('expired');
  });

  it('returned: payment or check returned after funded', () => {
    expect(statusAfter([ev(C.paymentSuccess), ev(C.paymentReturned)])).toBe('returned');
    expect(statusAfter([ev(C.checkPaid), ev(C.checkReturned)])).toBe('returned');
  });

  it('returned: a return before funded is remembered and applies once funded arrives', () => {
    const returned = ev(C.paymentReturned);
    const funded = ev(C.paymentSuccess);
    const before = run([ev(C.tokenizationSuccess), returned]);
    expect(before.status).toBe('claimed');
    expect(applyEvent(before, funded).status).toBe('returned');
  });

  it('returned: never after a non-funded terminal', () => {
    expect(statusAfter([ev(C.paymentTerminated), ev(C.paymentReturned)])).toBe('failed');
    // The later of two contradictory outcomes wins; a return only refines a winning `funded`.
    const funded = ev(C.paymentSuccess);
    const expired = ev(C.disbursementExpired);
    const returned = ev(C.paymentReturned);
    expect(statusAfter([expired, funded, returned])).toBe('expired');
    expect(statusAfter([returned, expired, funded])).toBe('expired');
  });
});

describe('side facts', () => {
  it('onHold while OFAC is suspended, released when cleared', () => {
    const suspended = run([ev(C.recipientNotificationSent), ev(C.ofacSuspended)]);
    expect(suspended).toMatchObject({ onHold: true, holds: { ofac: 'open', approvals: 'none' }, status: 'notified' });
    const cleared = applyEvent(suspended, ev(C.ofacCleared));
    expect(cleared).toMatchObject({ onHold: false, holds: { ofac: 'released' } });
    // Cleared arriving before suspended (reordered delivery) gives the same.
    const reordered = run([ev(C.ofacCleared), ev(C.ofacSuspended)]);
    expect(reordered.onHold).toBe(false);
  });

  it('onHold while payment is suspended for approvals, released by approvals.complete', () => {
    const state = run([ev(C.tokenizationSuccess), ev(C.approvalsPaymentSuspended)]);
    expect(state).toMatchObject({ onHold: true, holds: { approvals: 'open' } });
    const complete = applyEvent(state, ev(C.approvalsComplete));
    expect(complete).toMatchObject({ onHold: false, status: 'approved', holds: { approvals: 'released' } });
  });

  it('no hold once terminal', () => {
    const state = run([ev(C.ofacSuspended), ev(C.ofacFailure)]);
    expect(state.status).toBe('failed');
    expect(state.holds.ofac).toBe('open');
    expect(state.onHold).toBe(false);
  });

  it('authentication attempts: the highest count and maximum reported, for the recipient', () => {
    const ctx = { recipientPartyId: RECIPIENT };
    const state = run(
      [
        ev(C.recipientAuthenticationFailure, { event: { attempt_count: 2, max_attempts: 3 } }),
        ev(C.recipientAuthenticationFailure, { event: { attempt_count: 1, max_attempts: 3 } }),
        ev(C.partyDynamicValidationFailure, { partyId: APPROVER, event: { attempt_count: 9, max_attempts: 9 } }),
        ev(C.partyOtacValidationFailure, { partyId: RECIPIENT, event: { attempt_count: '1' } }),
      ],
      ctx,
    );
    expect(state).toMatchObject({ authAttempts: 2, maxAuthAttempts: 3, status: 'pending' });
  });

  it('approval decisions per approver; a decline is final', () => {
    const state = run([
      ev(C.approvalsDecisionApproved, { partyId: APPROVER }),
      ev(C.approvalsDecisionApproved, { partyId: APPROVER_2 }),
    ]);
    expect(state.approvals).toEqual({ [APPROVER]: 'approved', [APPROVER_2]: 'approved' });
    expect(state.status).toBe('pending');
    const declinedFirst = run([
      ev(C.approvalsDecisionDeclined, { partyId: APPROVER }),
      ev(C.approvalsDecisionApproved, { partyId: APPROVER }),
    ]);
    expect(declinedFirst.approvals).toEqual({ [APPROVER]: 'declined' });
    const approvedFirst = run([
      ev(C.approvalsDecisionApproved, { partyId: APPROVER }),
      ev(C.approvalsDecisionDeclined, { partyId: APPROVER }),
    ]);
    expect(approvedFirst.approvals).toEqual({ [APPROVER]: 'declined' });
    expect(approvedFirst.status).toBe('pending');
    expect(approvedFirst.attention.approver_declined).toMatchObject({ partyId: APPROVER });
  });

  it('the account comes from the latest payment-method choice by event time', () => {
    const paypal = ev(C.tokenizationSuccess, { event: { account_type: 'PD', customer_account_token: 'tok_pp' } });
    const card = ev(C.tokenizationSuccess, { event: { account_type: 'CA', customer_account_token: 'tok_ca' } });
    expect(run([paypal, card])).toMatchObject({ accountType: 'CA', accountTokenRef: 'tok_ca' });
    expect(run([card, paypal])).toMatchObject({ accountType: 'CA', accountTokenRef: 'tok_ca' });
  });

  it('lastEventAt is the latest event time, whatever the order', () => {
    const a = ev(C.recipientNotificationSent);
    const b = ev(C.recipientNotificationReceived);
    expect(run([b, a]).lastEventAt).toBe(b.occurredAt?.toISOString());
    expect(run([a, b]).lastEventAt).toBe(b.occurredAt?.toISOString());
  });
});

describe('rules of the reducer', () => {
  it('1. an event id already applied changes nothing (the very same state comes back)', () => {
    const sent = ev(C.recipientNotificationSent);
    const once = run([sent]);
    expect(applyEvent(once, sent)).toBe(once);
    // Ingo's retry of the same metadata.id, even if its content differs, is the same event.
    const retried = ingoEvent({ id: sent.id, topic: C.paymentSuccess });
    expect(applyEvent(once, retried)).toBe(once);
    // A local event id never collides with an Ingo id.
    const stage = { source: 'local', id: sent.id, type: 'stage_accepted', occurredAt: 0 } as const;
    expect(applyEvent(once, stage).appliedEventIds).toEqual([sent.id, `local:${sent.id}`].sort());
  });

  it('2. status only moves up: late earlier-stage events are ignored for status but recorded', () => {
    const tokenized = run([ev(C.tokenizationSuccess)]);
    const late = ev(C.recipientNotificationBounced);
    const after = applyEvent(tokenized, late);
    expect(after.status).toBe('claimed');
    expect(after.appliedEventIds).toContain(late.id);
    expect(applyEvent(run([ev(C.recipientNotificationReceived)]), ev(C.recipientNotificationSent)).status).toBe(
      'viewed',
    );
    expect(applyEvent(run([ev(C.approvalsComplete)]), ev(C.recipientAuthenticationSuccess)).status).toBe('approved');
  });

  it('3. a terminal status is never left for a non-terminal one (except funded → returned)', () => {
    for (const terminal of [C.paymentTerminated, C.disbursementExpired, C.disbursementCanceled, C.paymentSuccess]) {
      const state = run([ev(terminal)]);
      for (const later of [C.recipientNotificationSent, C.tokenizationSuccess, Q.paymentApproved, C.checkCanceled]) {
        expect(applyEvent(state, ev(later)).status).toBe(state.status);
      }
    }
    expect(applyEvent(run([ev(C.paymentSuccess)]), ev(C.paymentReturned)).status).toBe('returned');
  });

  it('5. unknown topics change nothing', () => {
    const state = run([ev(C.recipientNotificationSent)]);
    expect(applyEvent(state, ev('transaction.recipient.wallet.status.frozen'))).toBe(state);
  });

  it('timeline-only topics are recorded without moving anything', () => {
    const state = run([ev(C.recipientNotificationSent)]);
    for (const topic of [C.rvdmSuccess, C.rvdmFailure, C.partyOtacDeliveryGenerate, C.cardVerificationFailureCnsCd]) {
      const after = applyEvent(state, ev(topic));
      expect(after.status).toBe('notified');
      expect(after.appliedEventIds).toHaveLength(2);
    }
  });

  it('applyEvent never mutates its input', () => {
    const state = deepFreeze(run([ev(C.recipientNotificationSent), ev(C.ofacSuspended)]));
    const snapshot = structuredClone(state);
    const events = [
      ev(C.ofacCleared),
      ev(C.approvalsDecisionApproved, { partyId: APPROVER }),
      ev(C.tokenizationSuccess, { event: { account_type: 'AC' } }),
      ev(C.recipientAuthenticationFailure, { event: { attempt_count: 1, max_attempts: 3 } }),
      ev(C.paymentSuccess),
      local('cancel_accepted'),
    ];
    for (const event of events) applyEvent(state, deepFreeze(event));
    expect(state).toEqual(snapshot);
  });

  it('the state is plain JSON and keeps working after a round-trip', () => {
    const state = run([ev(C.recipientNotificationSent), ev(C.tokenizationSuccess), ev(C.approvalsPaymentSuspended)]);
    const revived = JSON.parse(JSON.stringify(state)) as DisbursementState;
    expect(revived).toEqual(state);
    const funded = ev(C.paymentSuccess);
    expect(applyEvent(revived, funded)).toEqual(applyEvent(state, funded));
  });
});
