// Attention flags (lifecycle.md): events that usually come before a termination but are not one, and
// the cancel whose outcome is unknown. None of them fails a payout; a later success means funded.

import { describe, expect, it } from 'vitest';
import {
  APPROVER,
  APPROVER_2,
  ev,
  exhaustedHardFailure,
  local,
  RECIPIENT,
  run,
  statusAfter,
} from '../../test/support/lifecycle-events.js';
import { CATALOG_TOPICS as C } from '../topics/catalog.js';
import { applyEvent } from './reducer.js';
import { describeTransition } from './transitions.js';

describe('attention flags', () => {
  it('an approver’s decline and a voided or stopped check raise attention flags, never failed on their own', () => {
    const declined = run([ev(C.approvalsDecisionDeclined, { partyId: APPROVER })]);
    expect(declined.status).toBe('pending');
    expect(declined.attention.approver_declined).toMatchObject({ partyId: APPROVER, reasonCode: undefined });
    const voided = run([ev(C.checkChosen), ev(C.checkCanceled, { event: { reason_code: '74' } })]);
    expect(voided.status).toBe('approved');
    expect(voided.attention.check_canceled).toMatchObject({ reasonCode: '74' });
    const stopped = run([ev(C.checkChosen), ev(C.checkStopped, { event: { reason_code: '77' } })]);
    expect(stopped.status).toBe('approved');
    expect(stopped.attention.check_stopped).toMatchObject({ reasonCode: '77' });
    // …and the explicit termination that follows is what fails the payout (the sandbox always sends one).
    const terminated = run([ev(C.approvalsDecisionDeclined, { partyId: APPROVER }), ev(C.paymentTerminated)]);
    expect(terminated.status).toBe('failed');
    expect(Object.keys(terminated.attention)).toEqual(['approver_declined']);
  });

  it('authentication_exhausted: only with attempts exhausted AND a hard mismatch, and never failed on its own', () => {
    const exhausted = run([ev(C.recipientAuthenticationFailure, { event: exhaustedHardFailure })]);
    expect(exhausted.status).toBe('pending');
    expect(exhausted.attention.authentication_exhausted).toMatchObject({ eventId: expect.any(String) });
    const flagged = (event: Record<string, unknown>) =>
      run([ev(C.recipientAuthenticationFailure, { event })]).attention.authentication_exhausted !== undefined;
    expect(flagged({ ...exhaustedHardFailure, attempt_count: 2 })).toBe(false);
    const soft = {
      ...exhaustedHardFailure,
      field_results: [{ field_label: 'DOB', is_matching: false, hard_fail_on_mismatch: false }],
    };
    expect(flagged(soft)).toBe(false);
    const matching = {
      ...exhaustedHardFailure,
      field_results: [{ field_label: 'DOB', is_matching: true, hard_fail_on_mismatch: true }],
    };
    expect(flagged(matching)).toBe(false);
    expect(flagged({ field_results: exhaustedHardFailure.field_results })).toBe(false);
    // String-typed drift is tolerated.
    const strings = {
      attempt_count: '4',
      max_attempts: '3',
      field_results: [{ field_label: 'SSN', is_matching: 'false', hard_fail_on_mismatch: '1' }],
    };
    expect(flagged(strings)).toBe(true);
    expect(statusAfter([ev(C.recipientAuthenticationFailure, { event: strings })])).toBe('pending');
    expect(statusAfter([ev(C.recipientAuthenticationFailure, { event: strings }), ev(C.paymentTerminated)])).toBe(
      'failed',
    );
  });

  it('authentication_exhausted: a dynamic validation failure counts for the recipient only', () => {
    const ctx = { recipientPartyId: RECIPIENT };
    const recipient = run(
      [ev(C.partyDynamicValidationFailure, { partyId: RECIPIENT, event: exhaustedHardFailure })],
      ctx,
    );
    expect(recipient.attention.authentication_exhausted).toBeDefined();
    expect(recipient.status).toBe('pending');
    const approver = run(
      [ev(C.partyDynamicValidationFailure, { partyId: APPROVER, event: exhaustedHardFailure })],
      ctx,
    );
    expect(approver.attention).toEqual({});
  });

  it('a later success means funded: authfail 3/3 → auth success → tokenized → payment.success', () => {
    const events = [
      ev(C.recipientAuthenticationFailure, { event: { ...exhaustedHardFailure, attempt_count: 1 } }),
      ev(C.recipientAuthenticationFailure, { event: { ...exhaustedHardFailure, attempt_count: 2 } }),
      ev(C.recipientAuthenticationFailure, { event: exhaustedHardFailure }),
      ev(C.recipientAuthenticationSuccess),
      ev(C.tokenizationSuccess, { event: { account_type: 'CA' } }),
      ev(C.paymentSuccess),
    ];
    const state = run(events);
    expect(state.status).toBe('funded');
    expect(Object.keys(state.attention)).toEqual(['authentication_exhausted']);
    expect(run([...events].reverse())).toEqual(state);
  });

  it('a later success means funded: decline → approvals complete → paid', () => {
    const ctx = { recipientPartyId: RECIPIENT };
    const events = [
      ev(C.tokenizationSuccess, { event: { account_type: 'AC' } }),
      ev(C.approvalsDecisionDeclined, { partyId: APPROVER }),
      ev(C.approvalsDecisionApproved, { partyId: APPROVER_2 }),
      ev(C.approvalsComplete),
      ev(C.paymentSuccess),
    ];
    const state = run(events, ctx);
    expect(state.status).toBe('funded');
    expect(state.approvals).toEqual({ [APPROVER]: 'declined', [APPROVER_2]: 'approved' });
    expect(state.attention.approver_declined).toMatchObject({ partyId: APPROVER });
    expect(run([...events].reverse(), ctx)).toEqual(state);
  });

  it('a later success means funded: check canceled (74 undelivered) → reissued → paid', () => {
    const events = [
      ev(C.checkChosen),
      ev(C.checkIssued, { event: { check_number: '1001' } }),
      ev(C.checkCanceled, { event: { reason_code: '74', check_number: '1001' } }),
      ev(C.checkIssued, { event: { check_number: '1002' } }),
      ev(C.checkPaid, { event: { check_number: '1002' } }),
    ];
    const state = run(events);
    expect(state.status).toBe('funded');
    expect(state.attention.check_canceled).toMatchObject({ reasonCode: '74' });
    expect(run([...events].reverse())).toEqual(state);
  });

  it('cancel_outcome_unknown: raised by the local event, settled by canceled or by the payout moving on', () => {
    const unknown = local('cancel_outcome_unknown', 'cancel-unknown-1');
    const pending = run([local('stage_accepted'), ev(C.recipientNotificationSent), unknown]);
    expect(pending.status).toBe('notified');
    expect(pending.attention.cancel_outcome_unknown).toMatchObject({
      eventId: 'local:cancel-unknown-1',
      at: new Date(unknown.occurredAt as Date).toISOString(),
    });
    // Still unknown while nothing decides it (a receipt, an authentication).
    expect(applyEvent(pending, ev(C.recipientAuthenticationSuccess)).attention.cancel_outcome_unknown).toBeDefined();
    // Settled: the cancel landed…
    const canceled = applyEvent(pending, ev(C.disbursementCanceled));
    expect(canceled.status).toBe('canceled');
    expect(canceled.attention).toEqual({});
    // …or the payout went on, so it did not.
    for (const topic of [C.tokenizationSuccess, C.checkChosen, C.disbursementExpired, C.paymentTerminated]) {
      expect(applyEvent(pending, ev(topic)).attention.cancel_outcome_unknown).toBeUndefined();
    }
    // The order does not matter: a settling event that arrived first settles it as well.
    const stage = local('stage_accepted', 'stage-2');
    const settled = ev(C.tokenizationSuccess);
    expect(run([stage, settled, unknown])).toEqual(run([stage, unknown, settled]));
    expect(run([stage, settled, unknown]).attention).toEqual({});
    expect(describeTransition(pending, canceled).outcome).toBe('status_changed');
    expect(describeTransition(run([local('stage_accepted')]), pending).outcome).not.toBe('no_effect');
  });

  it('attention flags keep the latest event that raised them, whatever the order', () => {
    const first = ev(C.checkCanceled, { event: { reason_code: '74' } });
    const second = ev(C.checkCanceled, { event: { reason_code: '75' } });
    const forward = run([first, second]);
    expect(forward.attention.check_canceled).toMatchObject({ reasonCode: '75', eventId: second.id });
    expect(forward.attention.check_canceled?.at).toBe(second.occurredAt?.toISOString());
    expect(run([second, first])).toEqual(forward);
  });
});
