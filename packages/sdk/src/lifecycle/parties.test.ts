import { describe, expect, it } from 'vitest';
import { APPROVER, APPROVER_2, ev, RECIPIENT, run } from '../../test/support/lifecycle-events.js';
import { CATALOG_TOPICS as C, QUICKSTART_TOPICS as Q } from '../topics/catalog.js';
import { canCancel } from './cancel.js';
import type { LifecycleContext } from './events.js';

const MANAGED: LifecycleContext = {
  parties: [
    { partyId: RECIPIENT, role: 'recipient' },
    { partyId: APPROVER, role: 'approver' },
    { partyId: APPROVER_2, role: 'approver' },
  ],
};

describe('Managed Parties: per-party facts and the approval gate (docs/lifecycle.md)', () => {
  it('records each party by party_id; the recipient from the context even when its events carry ""', () => {
    const state = run(
      [
        ev(C.partyNotificationSent), // party_id "": the recipient
        ev(C.partyNotificationReceived, { partyId: RECIPIENT }),
        ev(C.partyNotificationSent, { partyId: APPROVER }),
        ev(C.partyDynamicValidationSuccess, { partyId: APPROVER }),
        ev(C.partyNotificationBounced, { partyId: APPROVER_2 }),
        ev(C.approvalsDecisionApproved, { id: 'dec-1', partyId: APPROVER, timestamp: 1_770_000_000 }),
      ],
      MANAGED,
    );
    expect(state.parties[RECIPIENT]).toMatchObject({ role: 'recipient', notified: true, viewed: true });
    expect(state.parties[APPROVER]).toMatchObject({
      role: 'approver',
      notified: true,
      authenticated: true,
      decision: 'approved',
      decidedAt: new Date(1_770_000_000 * 1000).toISOString(),
      decisionEventId: 'dec-1',
    });
    expect(state.parties[APPROVER_2]).toMatchObject({ role: 'approver', bounced: true, notified: false });
    // An approver's steps never move the payout; the recipient's do.
    expect(state.status).toBe('viewed');
  });

  it('an approver authenticating does not authenticate the payout', () => {
    const state = run([ev(C.partyDynamicValidationSuccess, { partyId: APPROVER })], MANAGED);
    expect(state.status).toBe('pending');
    expect(state.parties[APPROVER]?.authenticated).toBe(true);
  });

  it('with approvers, approved only after approvals.complete; pmt-suspended is a hold that complete lifts', () => {
    const before = [
      ev(C.partyDynamicValidationSuccess, { partyId: RECIPIENT }),
      ev(C.tokenizationSuccess, { event: { account_type: 'AC' } }),
      ev(Q.paymentApproved),
      ev(C.approvalsPaymentSuspended),
      ev(C.approvalsDecisionApproved, { partyId: APPROVER }),
    ];
    const waiting = run(before, MANAGED);
    expect(waiting).toMatchObject({ status: 'claimed', onHold: true, holds: { approvals: 'open' } });
    const released = run(
      [...before, ev(C.approvalsDecisionApproved, { partyId: APPROVER_2 }), ev(C.approvalsComplete)],
      MANAGED,
    );
    expect(released).toMatchObject({ status: 'approved', onHold: false, holds: { approvals: 'released' } });
    // Without approvers there is no gate: Ingo's approval is the approval.
    const classic = run(before.slice(0, 3), { parties: [{ partyId: RECIPIENT, role: 'recipient' }] });
    expect(classic.status).toBe('approved');
  });

  it('approvers first: the gate opens but the payout follows the recipient (cancelable) until it claims, then approved', () => {
    const approvals = [
      ev(C.approvalsDecisionApproved, { partyId: APPROVER }),
      ev(C.approvalsDecisionApproved, { partyId: APPROVER_2 }),
      ev(C.approvalsComplete, { partyId: APPROVER_2 }),
    ];
    const waitingForRecipient = run([ev(C.partyNotificationReceived, { partyId: RECIPIENT }), ...approvals], MANAGED);
    expect(waitingForRecipient).toMatchObject({ status: 'viewed', holds: { approvals: 'released' } });
    expect(canCancel(waitingForRecipient)).toBe(true);
    const claimed = run([...approvals, ev(C.tokenizationSuccess, { event: { account_type: 'CA' } })], MANAGED);
    expect(claimed.status).toBe('approved');
  });

  it('a decline is an attention flag; the termination that follows is the outcome', () => {
    const declined = run(
      [
        ev(C.partyNotificationSent, { partyId: RECIPIENT }),
        ev(C.approvalsDecisionDeclined, { id: 'no', partyId: APPROVER }),
      ],
      MANAGED,
    );
    expect(declined.status).toBe('notified');
    expect(declined.attention.approver_declined).toMatchObject({ eventId: 'no', partyId: APPROVER });
    expect(declined.parties[APPROVER]).toMatchObject({ decision: 'declined' });
    const terminated = run([ev(C.approvalsDecisionDeclined, { partyId: APPROVER }), ev(C.paymentTerminated)], MANAGED);
    expect(terminated.status).toBe('failed');
  });

  it('a decline beats an approval by the same approver, whatever the order; equal decisions keep the earliest', () => {
    const approve = ev(C.approvalsDecisionApproved, { id: 'a', partyId: APPROVER, timestamp: 1_770_000_010 });
    const decline = ev(C.approvalsDecisionDeclined, { id: 'd', partyId: APPROVER, timestamp: 1_770_000_005 });
    for (const events of [
      [approve, decline],
      [decline, approve],
    ]) {
      expect(run(events, MANAGED).parties[APPROVER]).toMatchObject({ decision: 'declined', decisionEventId: 'd' });
    }
    const late = ev(C.approvalsDecisionApproved, { id: 'z', partyId: APPROVER, timestamp: 1_770_000_020 });
    expect(run([late, approve], MANAGED).parties[APPROVER]?.decisionEventId).toBe('a');
    expect(run([approve, late], MANAGED).parties[APPROVER]?.decisionEventId).toBe('a');
  });
});
