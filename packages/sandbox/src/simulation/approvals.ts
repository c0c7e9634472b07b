// The approvers of a Managed Parties (v4) disbursement, as a pure part of the state machine: each
// approver is notified, opens, authenticates and decides on its own (docs/ingo-contract.md §5). All must
// approve for the payment to proceed (sandbox Decision); the last approval fires `approvals.complete`,
// the gate. A decline terminates the disbursement at once, without `approvals.complete`.

import { CATALOG_TOPICS, type CanonicalTopic, QUICKSTART_TOPICS } from '@notifykit/sdk';
import type { Emission, MachineInput, MachineSnapshot, Transition } from './machine.js';

export type ApproverState = 'notified' | 'viewed' | 'authenticated' | 'approved' | 'declined';

export interface ApproverSnapshot {
  partyId: string;
  state: ApproverState;
}

const C = CATALOG_TOPICS;

/** True when every approver approved (always, without approvers): the payment may proceed. */
export function gateOpen(s: MachineSnapshot): boolean {
  return s.approvers.every((a) => a.state === 'approved');
}

/** "1 of 2 approvers approved", for 409 reasons. */
export function approvalProgress(s: MachineSnapshot): string {
  const approved = s.approvers.filter((a) => a.state === 'approved').length;
  return `${approved} of ${s.approvers.length} approvers approved`;
}

function withApprover(s: MachineSnapshot, partyId: string, state: ApproverState): MachineSnapshot {
  return { ...s, approvers: s.approvers.map((a) => (a.partyId === partyId ? { ...a, state } : a)) };
}

const refuse = (reason: string): Transition => ({ ok: false, reason });

/**
 * The gate opening: `approvals.complete` (with the last approver's party_id). A payment the recipient
 * already completed was suspended for the approvals; it resumes by itself, as at Ingo.
 */
function completeApprovals(s: MachineSnapshot, lastPartyId: string, emits: Emission[]): Transition {
  emits.push({ topic: C.approvalsComplete, partyId: lastPartyId });
  if (s.hold !== 'approvals') return { ok: true, next: s, emits };
  emits.push({ topic: QUICKSTART_TOPICS.paymentApproved });
  return { ok: true, next: { ...s, hold: null, state: 'approved' }, emits };
}

/** An action by an approver (`party_id` of a role-1 party): open, authenticate, approve or decline. */
export function approverTransition(s: MachineSnapshot, input: MachineInput): Transition {
  const approver = s.approvers.find((a) => a.partyId === input.actingPartyId);
  if (approver === undefined) return refuse('the named party is not an approver of this disbursement');
  const { partyId, state } = approver;
  switch (input.action) {
    case 'open':
      if (state !== 'notified') return refuse(`the approver already opened the notification (approver ${state})`);
      return {
        ok: true,
        next: withApprover(s, partyId, 'viewed'),
        emits: [{ topic: C.partyNotificationReceived, partyId }],
      };
    case 'authenticate':
      if (state === 'notified') return refuse('the approver must open the notification before authenticating');
      if (state !== 'viewed') return refuse(`the approver is already authenticated (approver ${state})`);
      return {
        ok: true,
        next: withApprover(s, partyId, 'authenticated'),
        emits: [{ topic: C.partyDynamicValidationSuccess, partyId }],
      };
    case 'approve':
    case 'decline': {
      if (state === 'approved' || state === 'declined') return refuse(`the approver already decided (${state})`);
      if (state !== 'authenticated') return refuse('the approver must open and authenticate before deciding');
      if (input.action === 'decline') {
        // Decision (sandbox): a decline terminates at once; approvals.complete is not sent.
        return {
          ok: true,
          next: { ...withApprover(s, partyId, 'declined'), state: 'failed', hold: null },
          emits: [{ topic: C.approvalsDecisionDeclined, partyId }, { topic: C.paymentTerminated }],
        };
      }
      const next = withApprover(s, partyId, 'approved');
      const emits: Emission[] = [{ topic: C.approvalsDecisionApproved, partyId }];
      return gateOpen(next) ? completeApprovals(next, partyId, emits) : { ok: true, next, emits };
    }
    default:
      return refuse(`${input.action} is a recipient action; the named party is an approver`);
  }
}

/** The next step of the first approver who has not decided: open, authenticate, then approve (or decline). */
export function nextApproverInput(s: MachineSnapshot, decision: 'approve' | 'decline'): MachineInput | undefined {
  const pending = s.approvers.find((a) => a.state !== 'approved' && a.state !== 'declined');
  if (pending === undefined) return undefined;
  const action = pending.state === 'notified' ? 'open' : pending.state === 'viewed' ? 'authenticate' : decision;
  return { action, actingRole: 1, actingPartyId: pending.partyId };
}

// A v4 recipient is a party like the others: its notification and authentication events are the party
// topics, with its party_id (docs/ingo-contract.md §6.1).
const V4_RECIPIENT_TOPICS: Partial<Record<CanonicalTopic, CanonicalTopic>> = {
  [C.recipientNotificationSent]: C.partyNotificationSent,
  [C.recipientNotificationReceived]: C.partyNotificationReceived,
  [C.recipientNotificationBounced]: C.partyNotificationBounced,
  [C.recipientAuthenticationSuccess]: C.partyDynamicValidationSuccess,
  [C.recipientAuthenticationFailure]: C.partyDynamicValidationFailure,
};

/** The topic a v4 disbursement emits for an emission: the recipient's own steps become party topics. */
export function managedTopic(emission: Emission): CanonicalTopic {
  return (emission.partyId === undefined ? V4_RECIPIENT_TOPICS[emission.topic] : undefined) ?? emission.topic;
}
