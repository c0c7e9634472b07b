import { describe, expect, it } from 'vitest';
import { CATALOG_TOPICS as C, CATALOG_TOPIC_NAMES, QUICKSTART_TOPICS as Q } from '../topics/catalog.js';
import { canonicalTopic } from '../topics/resolve.js';
import type { DisbursementStatus } from './statuses.js';
import { classifyTopic, LIFECYCLE_TOPICS } from './topic-rules.js';

describe('classifyTopic', () => {
  it('has a rule for every canonical topic of both dialects', () => {
    const canonical = new Set([...CATALOG_TOPIC_NAMES, ...Object.values(Q).map(canonicalTopic)]);
    expect([...LIFECYCLE_TOPICS].sort()).toEqual([...canonical].sort());
    for (const topic of canonical) expect(classifyTopic(topic).effect).not.toBe('unknown');
  });

  it('describes effects, conditions and side facts', () => {
    expect(classifyTopic(Q.paymentFunded)).toEqual({
      topic: Q.paymentFunded,
      canonicalTopic: C.paymentSuccess,
      effect: 'status',
      status: 'funded',
      conditions: [],
      sideFacts: [],
    });
    expect(classifyTopic(`gateway.${C.recipientAuthenticationFailure}`)).toMatchObject({
      canonicalTopic: C.recipientAuthenticationFailure,
      effect: 'side_facts',
      status: undefined,
      conditions: [],
      sideFacts: ['auth_attempts', 'authentication_exhausted'],
    });
    expect(classifyTopic(C.approvalsDecisionDeclined)).toMatchObject({
      effect: 'side_facts',
      status: undefined,
      sideFacts: ['approval_decision', 'approver_declined'],
    });
    expect(classifyTopic(C.checkCanceled)).toMatchObject({ status: 'approved', sideFacts: ['check_canceled'] });
    expect(classifyTopic(C.checkStopped)).toMatchObject({ status: 'approved', sideFacts: ['check_stopped'] });
    expect(classifyTopic(C.partyNotificationSent)).toMatchObject({
      status: 'notified',
      conditions: ['recipient_party'],
    });
    expect(classifyTopic(C.paymentReturned)).toMatchObject({ status: 'returned', conditions: ['after_funded'] });
    expect(classifyTopic(C.ofacSuspended)).toMatchObject({ effect: 'side_facts', sideFacts: ['ofac_hold_opened'] });
    expect(classifyTopic(C.approvalsDecisionApproved)).toMatchObject({
      effect: 'side_facts',
      sideFacts: ['approval_decision'],
    });
    expect(classifyTopic(C.tokenizationSuccess)).toMatchObject({ status: 'claimed', sideFacts: ['account'] });
    expect(classifyTopic(C.rvdmSuccess)).toMatchObject({ effect: 'none', status: undefined });
    expect(classifyTopic('transaction.account.verification.ach.failure.avs').effect).toBe('none');
    expect(classifyTopic('nope')).toMatchObject({ effect: 'unknown', canonicalTopic: 'nope' });
  });

  it('agrees with lifecycle.md for each status entry', () => {
    const byStatus = new Map<DisbursementStatus, string[]>();
    for (const topic of LIFECYCLE_TOPICS) {
      const c = classifyTopic(topic);
      if (c.status !== undefined) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), topic]);
    }
    expect(byStatus.get('funded')?.sort()).toEqual([C.paymentSuccess, C.checkPaid].sort());
    expect(byStatus.get('returned')?.sort()).toEqual([C.paymentReturned, C.checkReturned].sort());
    expect(byStatus.get('claimed')).toEqual([C.tokenizationSuccess]);
    expect(byStatus.get('expired')).toEqual([C.disbursementExpired]);
    expect(byStatus.get('canceled')).toEqual([C.disbursementCanceled]);
    expect(byStatus.get('approved')?.sort()).toEqual(
      [Q.paymentApproved, C.approvalsComplete, C.checkChosen, C.checkIssued, C.checkCanceled, C.checkStopped].sort(),
    );
    // Only an explicit termination from Ingo fails a payout (lifecycle.md, rewritten `failed` row).
    expect(byStatus.get('failed')?.sort()).toEqual([C.paymentTerminated, C.paymentFailure, C.ofacFailure].sort());
  });
});
