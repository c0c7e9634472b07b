// The typed `details` of each topic family, read from `data.event`. One parser per canonical topic, in
// a table typed against the topic catalog: a topic missing here, or a parser of the wrong family, does
// not compile.

import type { CanonicalTopic, TopicKind } from '../topics/catalog.js';
import type { TopicKindOf } from '../topics/topic-info.js';
import {
  asBoolean,
  asNonEmptyString,
  driftInteger,
  driftString,
  isJsonObject,
  type JsonObject,
} from '../type-drift.js';
import type {
  AccountVerificationDetails,
  ApprovalDetails,
  AuthenticationDetails,
  CheckDetails,
  DisbursementDetails,
  FieldResult,
  Issuer,
  NotificationDetails,
  OtacDetails,
  PaymentDetails,
  TokenizationDetails,
  VerificationDetails,
  WebhookEventDetailsByKind,
} from './event.js';

// 73–76 are Ingo's void reasons (docs/ingo-contract.md §6.1); 77/78 are the stop-payment reasons of §4.1, whose
// meanings Ingo does not publish.
const CHECK_REASON_CODES: Readonly<Record<string, string>> = Object.freeze({
  '73': 'not printed',
  '74': 'undelivered',
  '75': 'client request',
  '76': 'internal',
  '77': 'stop payment',
  '78': 'stop payment',
});

function fieldResults(value: unknown): FieldResult[] {
  if (!Array.isArray(value)) return [];
  const out: FieldResult[] = [];
  for (const item of value) {
    if (!isJsonObject(item)) continue;
    out.push({
      fieldLabel: driftString(item.field_label) ?? '',
      isMatching: asBoolean(item.is_matching),
      hardFailOnMismatch: asBoolean(item.hard_fail_on_mismatch),
    });
  }
  return out;
}

function issuers(value: unknown): Issuer[] {
  if (!Array.isArray(value)) return [];
  const out: Issuer[] = [];
  for (const item of value) {
    if (typeof item === 'string') out.push(item);
    else if (isJsonObject(item)) out.push(item);
    else if (typeof item === 'number') out.push(String(item));
  }
  return out;
}

/** Reads the details of a topic of family `K` from `data.event` (and, for some families, the topic name). */
type DetailsParser<K extends TopicKind> = (event: JsonObject, canonical: string) => WebhookEventDetailsByKind[K];

const notification =
  (audience: NotificationDetails['audience'], state: NotificationDetails['state']): DetailsParser<'notification'> =>
  () =>
    ({ audience, state }) satisfies NotificationDetails;

const authentication =
  (
    audience: AuthenticationDetails['audience'],
    outcome: AuthenticationDetails['outcome'],
  ): DetailsParser<'authentication'> =>
  (e) => {
    const results = fieldResults(e.field_results);
    return {
      audience,
      outcome,
      attemptCount: driftInteger(e.attempt_count),
      maxAttempts: driftInteger(e.max_attempts),
      hasPassed: asBoolean(e.has_passed),
      wasSkipped: asBoolean(e.was_skipped),
      fieldResults: results,
      hardMismatch: results.some((r) => r.isMatching === false && r.hardFailOnMismatch === true),
    } satisfies AuthenticationDetails;
  };

const otac =
  (step: OtacDetails['step']): DetailsParser<'otac'> =>
  (e) =>
    ({
      step,
      attemptCount: driftInteger(e.attempt_count),
      maxAttempts: driftInteger(e.max_attempts),
    }) satisfies OtacDetails;

const verification =
  (check: VerificationDetails['check'], outcome: VerificationDetails['outcome']): DetailsParser<'verification'> =>
  (e) =>
    ({
      check,
      outcome,
      softFailure: check === 'rvdm' && (driftInteger(e.status) ?? driftInteger(e.status_code)) === 1104,
    }) satisfies VerificationDetails;

const accountVerification: DetailsParser<'account_verification'> = (e, canonical) => {
  // transaction.account.verification.<method>.<success|failure>.<reason>
  const parts = canonical.split('.');
  const outcome = parts[4] === 'success' || parts[4] === 'failure' ? parts[4] : undefined;
  return {
    method: parts[3] ?? '',
    outcome,
    reason: parts.length > 5 ? parts.slice(5).join('.') : undefined,
    attemptCount: driftInteger(e.attempt_count),
    maxAttempts: driftInteger(e.max_attempts),
  } satisfies AccountVerificationDetails;
};

const tokenization: DetailsParser<'tokenization'> = (e) =>
  ({
    customerAccountToken: asNonEmptyString(e.customer_account_token),
    accountType: asNonEmptyString(e.account_type),
    accountId: asNonEmptyString(e.account_id),
    issuers: issuers(e.issuers),
  }) satisfies TokenizationDetails;

const approval =
  (step: ApprovalDetails['step']): DetailsParser<'approval'> =>
  () =>
    ({ step }) satisfies ApprovalDetails;

const payment =
  (outcome: PaymentDetails['outcome']): DetailsParser<'payment'> =>
  (e) =>
    ({
      outcome,
      accountId: asNonEmptyString(e.account_id),
      reasonCode: asNonEmptyString(e.reason_code),
    }) satisfies PaymentDetails;

const check =
  (step: CheckDetails['step']): DetailsParser<'check'> =>
  (e) => {
    const reasonCode = asNonEmptyString(e.reason_code);
    return {
      step,
      checkNumber: asNonEmptyString(e.check_number),
      checkAmount: asNonEmptyString(e.check_amount),
      reasonCode,
      reasonDescription: reasonCode === undefined ? undefined : CHECK_REASON_CODES[reasonCode.trim()],
    } satisfies CheckDetails;
  };

const disbursement =
  (outcome: DisbursementDetails['outcome']): DetailsParser<'disbursement'> =>
  (e) =>
    ({ outcome, reasonCode: asNonEmptyString(e.reason_code) }) satisfies DisbursementDetails;

/** The details parser of every canonical topic, checked against the catalog and each topic's family. */
export const DETAIL_PARSERS = {
  'transaction.recipient.notification.status.sent': notification('recipient', 'sent'),
  'transaction.recipient.notification.status.received': notification('recipient', 'received'),
  'transaction.recipient.notification.status.bounced': notification('recipient', 'bounced'),
  'transaction.party.notification.status.sent': notification('party', 'sent'),
  'transaction.party.notification.status.received': notification('party', 'received'),
  'transaction.party.notification.status.bounced': notification('party', 'bounced'),
  'transaction.recipient.authentication.status.success': authentication('recipient', 'success'),
  'transaction.recipient.authentication.status.failure': authentication('recipient', 'failure'),
  'transaction.party.authentication.dynamic.validation.success': authentication('party', 'success'),
  'transaction.party.authentication.dynamic.validation.failure': authentication('party', 'failure'),
  'transaction.party.authentication.otac.delivery.generate': otac('delivery_generated'),
  'transaction.party.authentication.otac.delivery.limit': otac('delivery_limit'),
  'transaction.party.authentication.otac.validation.success': otac('validation_success'),
  'transaction.party.authentication.otac.validation.failure': otac('validation_failure'),
  'transaction.recipient.verification.rvdm.success': verification('rvdm', 'success'),
  'transaction.recipient.verification.rvdm.failure': verification('rvdm', 'failure'),
  'transaction.recipient.verification.ofac.status.suspended': verification('ofac', 'suspended'),
  'transaction.recipient.verification.ofac.status.cleared': verification('ofac', 'cleared'),
  'transaction.recipient.verification.ofac.status.failure': verification('ofac', 'failure'),
  'transaction.account.verification.card.failure.cns_cd': accountVerification,
  'transaction.account.verification.paypal.success.av': accountVerification,
  'transaction.account.tokenization.success': tokenization,
  'transaction.recipient.payment.status.approvals.pmt-suspended': approval('payment_suspended'),
  'transaction.recipient.payment.status.approvals.decision.approved': approval('approved'),
  'transaction.recipient.payment.status.approvals.decision.declined': approval('declined'),
  'transaction.recipient.payment.status.approvals.complete': approval('complete'),
  'transaction.recipient.payment.status.approved': payment('approved'),
  'transaction.recipient.payment.status.success': payment('success'),
  'transaction.recipient.payment.status.terminated': payment('terminated'),
  'transaction.recipient.payment.status.failure': payment('failure'),
  'transaction.recipient.payment.status.returned': payment('returned'),
  'transaction.recipient.payment.status.check': check('chosen'),
  'transaction.recipient.payment.status.check.issued': check('issued'),
  'transaction.recipient.payment.status.check.paid': check('paid'),
  'transaction.recipient.payment.status.check.canceled': check('canceled'),
  'transaction.recipient.payment.status.check.stopped': check('stopped'),
  'transaction.recipient.payment.status.check.returned': check('returned'),
  'transaction.recipient.disbursement.status.expired': disbursement('expired'),
  'transaction.recipient.disbursement.status.canceled': disbursement('canceled'),
} satisfies { readonly [T in CanonicalTopic]: DetailsParser<TopicKindOf<T>> };

const PARSERS: ReadonlyMap<string, DetailsParser<TopicKind>> = new Map(Object.entries(DETAIL_PARSERS));

/** The typed details of an event; an unknown topic keeps `data.event` as sent. */
export function detailsFor(
  kind: TopicKind,
  canonical: string,
  event: JsonObject,
): WebhookEventDetailsByKind[TopicKind] {
  if (kind === 'unknown') return event;
  // The unnamed ACH/AVS variants of account verification are not in the catalog; their family reads the topic.
  if (kind === 'account_verification') return accountVerification(event, canonical);
  const parse = PARSERS.get(canonical);
  return parse === undefined ? event : parse(event, canonical);
}
