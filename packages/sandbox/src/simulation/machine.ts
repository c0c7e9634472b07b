// The simulated recipient as a pure state machine: one function decides whether an action is allowed in
// a state, what state follows and which webhooks it causes. Scenarios, the control API and the gateway's
// cancel all go through it, so an automatic step and a manual one can never disagree.

import {
  CATALOG_TOPICS,
  type CanonicalTopic,
  type DisbursementStatus,
  QUICKSTART_TOPICS,
  TERMINAL_STATUSES,
} from '@notifykit/sdk';
import { type ApproverSnapshot, approvalProgress, approverTransition, gateOpen } from './approvals.js';

/** Lifecycle statuses a staged disbursement can be in (the SDK's, minus the two before Ingo accepted it). */
type LifecycleState = Exclude<DisbursementStatus, 'pending' | 'staged'>;
/**
 * lifecycle.md ranks a chosen and an issued check as `approved`; the machine tells them apart because
 * what may follow differs (an issued check can be paid, a chosen one must be issued first).
 */
export type MachineState = LifecycleState | 'check_chosen' | 'check_issued';

/** Actions of `POST /_sandbox/notifications/{id}/actions` (sandbox README). */
export const CONTROL_ACTIONS = [
  'open',
  'authenticate',
  'fail_authentication',
  'choose_payment',
  'approve',
  'decline',
  'fund',
  'fail',
  'return',
  'expire',
  'bounce',
] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];
/**
 * Control actions plus the ones only the sandbox itself takes: the gateway's cancel and check void/stop
 * (docs/ingo-contract.md §4, §4.1), and the scenarios' OFAC hold.
 */
export type MachineAction = ControlAction | 'cancel' | 'void_check' | 'stop_check' | 'ofac_suspend';

export const ACCOUNT_TYPES = ['CA', 'AC', 'PD', 'CK'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** Hard mismatches allowed before the disbursement is terminated (docs/ingo-contract.md `max_attempts`). */
export const MAX_AUTHENTICATION_ATTEMPTS = 3;

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);
// Before the recipient claims (selects a payment method), a disbursement can be canceled and can expire.
const UNCLAIMED: ReadonlySet<MachineState> = new Set(['notified', 'bounced', 'viewed', 'authenticated']);

export const isTerminal = (state: MachineState): boolean => TERMINAL.has(state);
export const isUnclaimed = (state: MachineState): boolean => UNCLAIMED.has(state);

/** The lifecycle status (lifecycle.md) a machine state corresponds to. */
export function lifecycleStatusOf(state: MachineState): LifecycleState {
  return state === 'check_chosen' || state === 'check_issued' ? 'approved' : state;
}

export interface MachineSnapshot {
  state: MachineState;
  /** `ofac` while an OFAC suspension is open. */
  hold: string | null;
  authFailures: number;
  accountType: AccountType | null;
  /** Labels of the stage request's authentication records (never their values). */
  authenticationLabels: readonly string[];
  /** Approvers of a v4 stage, each with its own progress; none for v3. */
  approvers: readonly ApproverSnapshot[];
}

export interface MachineInput {
  action: MachineAction;
  accountType?: AccountType;
  /** Role of the acting party (0 recipient, 1 approver, 2 interested party) when the caller named one. */
  actingRole?: number;
  /** `party_id` of the acting party, when the caller named one. */
  actingPartyId?: string;
  /** `reason_code` of a check void (73–76) or stop (77–78). */
  reasonCode?: string;
}

/** A webhook to emit: its topic (catalog name, or the quick-start `approved`) and topic-specific fields. */
export interface Emission {
  topic: CanonicalTopic;
  fields?: Record<string, unknown>;
  /** `party_id` of the party the event is about; the recipient's (or "" for v3) when absent. */
  partyId?: string;
}

export type Transition = { ok: true; next: MachineSnapshot; emits: Emission[] } | { ok: false; reason: string };

const C = CATALOG_TOPICS;

function refuse(reason: string): Transition {
  return { ok: false, reason };
}

function move(from: MachineSnapshot, patch: Partial<MachineSnapshot>, ...emits: Emission[]): Transition {
  return { ok: true, next: { ...from, ...patch }, emits };
}

/** Applies one action; a refusal carries the reason the control API returns with 409. */
export function transition(s: MachineSnapshot, input: MachineInput): Transition {
  const { action } = input;
  // Funded is terminal except for a return, exactly as lifecycle.md allows funded → returned.
  if (isTerminal(s.state) && !(s.state === 'funded' && action === 'return')) {
    return refuse(`the disbursement is already ${s.state}; ${action} is not possible`);
  }
  if (input.actingRole === 1 && s.approvers.length > 0) return approverTransition(s, input);
  if (input.actingRole === 2) return refuse('an interested party is only informed; it cannot act');
  if (input.actingRole !== undefined && input.actingRole !== 0 && action !== 'approve' && action !== 'decline') {
    return refuse(`${action} is a recipient action; the named party is not the recipient`);
  }
  switch (action) {
    case 'open':
      if (s.state === 'notified' || s.state === 'bounced') {
        return move(s, { state: 'viewed' }, { topic: C.recipientNotificationReceived });
      }
      return refuse(`the notification is already open (state ${s.state})`);

    case 'bounce':
      if (s.state === 'notified') return move(s, { state: 'bounced' }, { topic: C.recipientNotificationBounced });
      return refuse(`only a notification not yet opened can bounce (state ${s.state})`);

    case 'authenticate':
      if (s.state === 'viewed') {
        return move(s, { state: 'authenticated' }, { topic: C.recipientAuthenticationSuccess });
      }
      if (s.state === 'notified' || s.state === 'bounced') {
        return refuse('the recipient must open the notification before authenticating');
      }
      return refuse(`the recipient is already authenticated (state ${s.state})`);

    case 'fail_authentication': {
      if (s.state !== 'viewed') {
        return refuse(
          s.state === 'notified' || s.state === 'bounced'
            ? 'the recipient must open the notification before authenticating'
            : `authentication is over (state ${s.state})`,
        );
      }
      const attempt = s.authFailures + 1;
      const failure: Emission = {
        topic: C.recipientAuthenticationFailure,
        fields: {
          attempt_count: attempt,
          max_attempts: MAX_AUTHENTICATION_ATTEMPTS,
          field_results: (s.authenticationLabels.length > 0 ? s.authenticationLabels : ['One-time access code']).map(
            (label) => ({ field_label: label, is_matching: false, hard_fail_on_mismatch: true }),
          ),
        },
      };
      if (attempt >= MAX_AUTHENTICATION_ATTEMPTS) {
        return move(s, { state: 'failed', authFailures: attempt }, failure, { topic: C.paymentTerminated });
      }
      return move(s, { authFailures: attempt }, failure);
    }

    case 'ofac_suspend':
      if (s.state === 'authenticated' && s.hold === null) {
        return move(s, { hold: 'ofac' }, { topic: C.ofacSuspended });
      }
      return refuse(`OFAC screening happens once, after authentication (state ${s.state})`);

    case 'choose_payment': {
      const accountType = input.accountType;
      if (accountType === undefined) return refuse('choose_payment needs account_type (CA, AC, PD or CK)');
      if (s.state !== 'authenticated') {
        return refuse(
          isUnclaimed(s.state)
            ? 'the recipient must authenticate before choosing a payment method'
            : `a payment method was already chosen (state ${s.state})`,
        );
      }
      if (s.hold === 'ofac') return refuse('the disbursement is suspended by OFAC screening');
      // The recipient completed before every approver approved: the payment is suspended (1170).
      const suspended: Emission[] = gateOpen(s) ? [] : [{ topic: C.approvalsPaymentSuspended }];
      const hold = gateOpen(s) ? s.hold : 'approvals';
      if (accountType === 'CK') {
        return move(s, { state: 'check_chosen', accountType, hold }, { topic: C.checkChosen }, ...suspended);
      }
      return move(
        s,
        { state: 'claimed', accountType, hold },
        { topic: C.tokenizationSuccess, fields: { account_type: accountType } },
        ...suspended,
      );
    }

    case 'approve':
      if (input.actingRole === 0) return refuse('the recipient cannot approve a disbursement');
      if (input.actingRole === 1) return refuse('this disbursement has no approvers (staged through v3)');
      if (!gateOpen(s) && !isUnclaimed(s.state)) {
        return refuse(`the payment waits for the approval gate (${approvalProgress(s)})`);
      }
      if (s.state === 'claimed') return move(s, { state: 'approved' }, { topic: QUICKSTART_TOPICS.paymentApproved });
      if (s.state === 'check_chosen') return move(s, { state: 'check_issued' }, { topic: C.checkIssued });
      if (isUnclaimed(s.state)) return refuse('nothing to approve before the recipient chooses a payment method');
      return refuse(`the disbursement is already approved (state ${s.state})`);

    case 'decline':
      if (input.actingRole === 0) return refuse('the recipient cannot decline; only an approver can');
      if (s.approvers.length > 0) return refuse('decline is an approver decision: name the approver with party_id');
      return refuse('decline is an approver decision and this disbursement has no approvers (staged through v3)');

    case 'fund':
      if (!gateOpen(s)) return refuse(`funding waits for the approval gate (${approvalProgress(s)})`);
      if (s.state === 'claimed' || s.state === 'approved') {
        return move(s, { state: 'funded' }, { topic: C.paymentSuccess });
      }
      if (s.state === 'check_issued') return move(s, { state: 'funded' }, { topic: C.checkPaid });
      if (s.state === 'check_chosen') return refuse('the check has not been issued yet (approve first)');
      return refuse('the recipient has not chosen a payment method yet');

    case 'fail':
      if (isUnclaimed(s.state)) {
        return move(s, { state: 'failed' }, { topic: s.hold === 'ofac' ? C.ofacFailure : C.paymentTerminated });
      }
      // A voided check is not a termination by itself (Ingo may reissue it): the sandbox sends the
      // explicit termination right after, so the payout ends failed as before (lifecycle.md).
      if (s.state === 'check_chosen' || s.state === 'check_issued') {
        return move(
          s,
          { state: 'failed' },
          { topic: C.checkCanceled, fields: { reason_code: '76' } },
          { topic: C.paymentTerminated },
        );
      }
      return move(s, { state: 'failed' }, { topic: C.paymentFailure });

    case 'void_check':
    case 'stop_check': {
      if (s.state !== 'check_issued') {
        return refuse(
          s.state === 'check_chosen'
            ? 'the check has not been issued yet'
            : `the disbursement has no issued check (state ${s.state})`,
        );
      }
      const topic = action === 'void_check' ? C.checkCanceled : C.checkStopped;
      // Decision: the sandbox reissues nothing; Ingo's explicit termination follows the void or stop.
      return move(
        s,
        { state: 'failed' },
        { topic, fields: { reason_code: input.reasonCode ?? '' } },
        { topic: C.paymentTerminated },
      );
    }

    case 'return':
      if (s.state === 'funded') {
        return move(s, { state: 'returned' }, { topic: s.accountType === 'CK' ? C.checkReturned : C.paymentReturned });
      }
      return refuse('only a funded disbursement can be returned');

    case 'expire':
      if (isUnclaimed(s.state)) return move(s, { state: 'expired' }, { topic: C.disbursementExpired });
      return refuse(`a claimed disbursement does not expire (state ${s.state})`);

    case 'cancel':
      if (isUnclaimed(s.state)) return move(s, { state: 'canceled' }, { topic: C.disbursementCanceled });
      return refuse(`a claimed disbursement cannot be canceled (state ${s.state})`);
  }
}
