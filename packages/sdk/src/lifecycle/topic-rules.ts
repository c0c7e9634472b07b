// What each Ingo topic does to a disbursement (docs/lifecycle.md): the status it leads to and under
// which conditions, and the side facts it records.

import type { CanonicalTopic } from '../topics/catalog.js';
import { resolveTopic } from '../topics/resolve.js';
import type { DisbursementStatus } from './statuses.js';

/** A condition the event must meet for its status to apply. */
export type StatusCondition =
  /** A Managed `transaction.party.*` event counts only for the recipient party (see `LifecycleContext`). */
  | 'recipient_party'
  /** `returned` only follows `funded`. */
  | 'after_funded'
  /**
   * With approvers known (the Managed context), `approvals.complete` opens the gate but the payout is
   * `approved` only once the recipient has also claimed: approvers often act first.
   */
  | 'recipient_claimed';

/** Facts recorded next to the status. */
export type SideFact =
  | 'auth_attempts'
  | 'account'
  | 'approval_decision'
  | 'ofac_hold_opened'
  | 'ofac_hold_cleared'
  | 'approvals_hold_opened'
  | 'approvals_hold_released'
  /**
   * Attention: the recipient's authentication failed with `attempt_count >= max_attempts` and a
   * `field_results` entry `is_matching: false, hard_fail_on_mismatch: true`.
   */
  | 'authentication_exhausted'
  /** Attention: an approver declined. */
  | 'approver_declined'
  /** Attention: the mailed check was voided (reason code kept). */
  | 'check_canceled'
  /** Attention: payment on the mailed check was stopped (reason code kept). */
  | 'check_stopped';

export interface TopicClassification {
  topic: string;
  canonicalTopic: string;
  /**
   * `status`: may move the status (under `conditions`); `side_facts`: only records facts; `none`: a
   * known topic with no lifecycle effect (timeline only); `unknown`: not a topic notifykit knows.
   */
  effect: 'status' | 'side_facts' | 'none' | 'unknown';
  status: DisbursementStatus | undefined;
  conditions: readonly StatusCondition[];
  sideFacts: readonly SideFact[];
}

interface TopicRule {
  status?: DisbursementStatus;
  conditions?: readonly StatusCondition[];
  sideFacts?: readonly SideFact[];
}

const RECIPIENT: readonly StatusCondition[] = ['recipient_party'];

/**
 * The lifecycle rule of every canonical topic: a topic missing here does not compile. `failed` comes
 * only from Ingo's explicit terminations (terminated, payment failure, OFAC failure); exhausted
 * authentication, a decline and a voided or stopped check raise attention flags instead (lifecycle.md).
 */
const TOPIC_RULES = {
  'transaction.recipient.notification.status.sent': { status: 'notified' },
  'transaction.recipient.notification.status.received': { status: 'viewed' },
  'transaction.recipient.notification.status.bounced': { status: 'bounced' },
  'transaction.party.notification.status.sent': { status: 'notified', conditions: RECIPIENT },
  'transaction.party.notification.status.received': { status: 'viewed', conditions: RECIPIENT },
  'transaction.party.notification.status.bounced': { status: 'bounced', conditions: RECIPIENT },

  'transaction.recipient.authentication.status.success': { status: 'authenticated', sideFacts: ['auth_attempts'] },
  'transaction.recipient.authentication.status.failure': { sideFacts: ['auth_attempts', 'authentication_exhausted'] },
  'transaction.party.authentication.dynamic.validation.success': {
    status: 'authenticated',
    conditions: RECIPIENT,
    sideFacts: ['auth_attempts'],
  },
  'transaction.party.authentication.dynamic.validation.failure': {
    sideFacts: ['auth_attempts', 'authentication_exhausted'],
  },
  'transaction.party.authentication.otac.delivery.generate': {},
  'transaction.party.authentication.otac.delivery.limit': {},
  'transaction.party.authentication.otac.validation.success': {
    status: 'authenticated',
    conditions: RECIPIENT,
    sideFacts: ['auth_attempts'],
  },
  'transaction.party.authentication.otac.validation.failure': { sideFacts: ['auth_attempts'] },

  'transaction.recipient.verification.rvdm.success': {},
  'transaction.recipient.verification.rvdm.failure': {},
  'transaction.recipient.verification.ofac.status.suspended': { sideFacts: ['ofac_hold_opened'] },
  'transaction.recipient.verification.ofac.status.cleared': { sideFacts: ['ofac_hold_cleared'] },
  'transaction.recipient.verification.ofac.status.failure': { status: 'failed' },

  'transaction.account.verification.card.failure.cns_cd': {},
  'transaction.account.verification.paypal.success.av': {},

  'transaction.account.tokenization.success': { status: 'claimed', sideFacts: ['account'] },

  'transaction.recipient.payment.status.approvals.pmt-suspended': { sideFacts: ['approvals_hold_opened'] },
  'transaction.recipient.payment.status.approvals.decision.approved': { sideFacts: ['approval_decision'] },
  'transaction.recipient.payment.status.approvals.decision.declined': {
    sideFacts: ['approval_decision', 'approver_declined'],
  },
  'transaction.recipient.payment.status.approvals.complete': {
    status: 'approved',
    conditions: ['recipient_claimed'],
    sideFacts: ['approvals_hold_released'],
  },

  'transaction.recipient.payment.status.approved': { status: 'approved' },
  'transaction.recipient.payment.status.success': { status: 'funded' },
  'transaction.recipient.payment.status.terminated': { status: 'failed' },
  'transaction.recipient.payment.status.failure': { status: 'failed' },
  'transaction.recipient.payment.status.returned': { status: 'returned', conditions: ['after_funded'] },

  // Choosing a mailed check is the recipient's payment-method choice, like a tokenization (account type CK).
  'transaction.recipient.payment.status.check': { status: 'approved', sideFacts: ['account'] },
  'transaction.recipient.payment.status.check.issued': { status: 'approved' },
  'transaction.recipient.payment.status.check.paid': { status: 'funded' },
  // A voided or stopped check proves a check was chosen (it ranks with one); Ingo may reissue it.
  'transaction.recipient.payment.status.check.canceled': { status: 'approved', sideFacts: ['check_canceled'] },
  'transaction.recipient.payment.status.check.stopped': { status: 'approved', sideFacts: ['check_stopped'] },
  'transaction.recipient.payment.status.check.returned': { status: 'returned', conditions: ['after_funded'] },

  'transaction.recipient.disbursement.status.expired': { status: 'expired' },
  'transaction.recipient.disbursement.status.canceled': { status: 'canceled' },
} satisfies Record<CanonicalTopic, TopicRule>;

const RULES: ReadonlyMap<string, TopicRule> = new Map(Object.entries(TOPIC_RULES));

/** Every canonical topic the lifecycle has a rule for (all of §6.1 in both dialects, after canonicalization). */
export const LIFECYCLE_TOPICS: readonly string[] = Object.freeze(Object.keys(TOPIC_RULES));

const NO_CONDITIONS: readonly StatusCondition[] = Object.freeze([]);
const NO_FACTS: readonly SideFact[] = Object.freeze([]);

/**
 * What a topic (either dialect, with or without `gateway.`) does to a disbursement: the status it leads
 * to and under which conditions, the side facts it records, or nothing / unknown.
 */
export function classifyTopic(topic: string): TopicClassification {
  const resolved = resolveTopic(topic);
  const rule = RULES.get(resolved.canonicalTopic) ?? (resolved.kind === 'account_verification' ? {} : undefined);
  if (rule === undefined) {
    return {
      topic,
      canonicalTopic: resolved.canonicalTopic,
      effect: 'unknown',
      status: undefined,
      conditions: NO_CONDITIONS,
      sideFacts: NO_FACTS,
    };
  }
  const sideFacts = rule.sideFacts ?? NO_FACTS;
  return {
    topic,
    canonicalTopic: resolved.canonicalTopic,
    effect: rule.status !== undefined ? 'status' : sideFacts.length > 0 ? 'side_facts' : 'none',
    status: rule.status,
    conditions: rule.conditions ?? NO_CONDITIONS,
    sideFacts,
  };
}
