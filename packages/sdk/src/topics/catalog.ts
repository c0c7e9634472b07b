// The webhook topic catalog of docs/ingo-contract.md §6.1 in both naming dialects. Ingo's Classic quick start
// names five events; its per-event reference pages use a larger catalog. Everything downstream
// (normalization, the lifecycle reducer, the sandbox's emitter) keys on the catalog name, so the
// quick-start names and the legacy `gateway.` prefix are folded into it here, in one place.

/** The five names of the Notify — Classic quick start. */
export const QUICKSTART_TOPICS = {
  notificationSent: 'transaction.recipient.notification.sent',
  authenticationComplete: 'transaction.recipient.authentication.complete',
  tokenizationComplete: 'transaction.recipient.payment.tokenization.complete',
  paymentApproved: 'transaction.recipient.payment.status.approved',
  paymentFunded: 'transaction.recipient.payment.status.funded',
} as const;

/** Ingo's event-reference catalog (plus the four Decision names of docs/ingo-contract.md §6.1). */
export const CATALOG_TOPICS = {
  recipientNotificationSent: 'transaction.recipient.notification.status.sent',
  recipientNotificationReceived: 'transaction.recipient.notification.status.received',
  recipientNotificationBounced: 'transaction.recipient.notification.status.bounced',
  partyNotificationSent: 'transaction.party.notification.status.sent',
  partyNotificationReceived: 'transaction.party.notification.status.received',
  partyNotificationBounced: 'transaction.party.notification.status.bounced',

  recipientAuthenticationSuccess: 'transaction.recipient.authentication.status.success',
  recipientAuthenticationFailure: 'transaction.recipient.authentication.status.failure',
  partyDynamicValidationSuccess: 'transaction.party.authentication.dynamic.validation.success',
  partyDynamicValidationFailure: 'transaction.party.authentication.dynamic.validation.failure',

  partyOtacDeliveryGenerate: 'transaction.party.authentication.otac.delivery.generate',
  partyOtacDeliveryLimit: 'transaction.party.authentication.otac.delivery.limit',
  partyOtacValidationSuccess: 'transaction.party.authentication.otac.validation.success',
  partyOtacValidationFailure: 'transaction.party.authentication.otac.validation.failure',

  rvdmSuccess: 'transaction.recipient.verification.rvdm.success',
  rvdmFailure: 'transaction.recipient.verification.rvdm.failure',
  ofacSuspended: 'transaction.recipient.verification.ofac.status.suspended',
  ofacCleared: 'transaction.recipient.verification.ofac.status.cleared',
  ofacFailure: 'transaction.recipient.verification.ofac.status.failure',

  cardVerificationFailureCnsCd: 'transaction.account.verification.card.failure.cns_cd',
  paypalVerificationSuccessAv: 'transaction.account.verification.paypal.success.av',

  tokenizationSuccess: 'transaction.account.tokenization.success',

  approvalsPaymentSuspended: 'transaction.recipient.payment.status.approvals.pmt-suspended',
  approvalsDecisionApproved: 'transaction.recipient.payment.status.approvals.decision.approved',
  approvalsDecisionDeclined: 'transaction.recipient.payment.status.approvals.decision.declined',
  approvalsComplete: 'transaction.recipient.payment.status.approvals.complete',

  paymentSuccess: 'transaction.recipient.payment.status.success',
  paymentTerminated: 'transaction.recipient.payment.status.terminated',
  paymentFailure: 'transaction.recipient.payment.status.failure',
  paymentReturned: 'transaction.recipient.payment.status.returned',

  checkChosen: 'transaction.recipient.payment.status.check',
  checkIssued: 'transaction.recipient.payment.status.check.issued',
  checkPaid: 'transaction.recipient.payment.status.check.paid',
  checkCanceled: 'transaction.recipient.payment.status.check.canceled',
  checkStopped: 'transaction.recipient.payment.status.check.stopped',
  checkReturned: 'transaction.recipient.payment.status.check.returned',

  disbursementExpired: 'transaction.recipient.disbursement.status.expired',
  disbursementCanceled: 'transaction.recipient.disbursement.status.canceled',
} as const;

export type QuickstartTopic = (typeof QUICKSTART_TOPICS)[keyof typeof QUICKSTART_TOPICS];
export type CatalogTopic = (typeof CATALOG_TOPICS)[keyof typeof CATALOG_TOPICS];
/** Every topic name notifykit knows, in either dialect. */
export type KnownTopic = QuickstartTopic | CatalogTopic;
/**
 * What {@link canonicalTopic} returns for a known topic: the catalog name, or
 * `transaction.recipient.payment.status.approved`, the one quick-start name without a catalog twin.
 */
export type CanonicalTopic = CatalogTopic | typeof QUICKSTART_TOPICS.paymentApproved;

export const QUICKSTART_TOPIC_NAMES: readonly QuickstartTopic[] = Object.freeze(Object.values(QUICKSTART_TOPICS));
export const CATALOG_TOPIC_NAMES: readonly CatalogTopic[] = Object.freeze(Object.values(CATALOG_TOPICS));

export type TopicDialect = 'quickstart' | 'catalog' | 'unknown';

/** Topic families; each one has its own typed `details` on a normalized webhook event. */
export type TopicKind =
  | 'notification'
  | 'authentication'
  | 'otac'
  | 'verification'
  | 'account_verification'
  | 'tokenization'
  | 'approval'
  | 'payment'
  | 'check'
  | 'disbursement'
  | 'unknown';

const C = CATALOG_TOPICS;
const Q = QUICKSTART_TOPICS;
const CATALOG_SET: ReadonlySet<string> = new Set(CATALOG_TOPIC_NAMES);

/** Quick-start name → its catalog equivalent (`approved` has none and maps to itself). */
export const CATALOG_TOPIC_FOR: Readonly<Record<QuickstartTopic, CanonicalTopic>> = Object.freeze({
  [Q.notificationSent]: C.recipientNotificationSent,
  [Q.authenticationComplete]: C.recipientAuthenticationSuccess,
  [Q.tokenizationComplete]: C.tokenizationSuccess,
  [Q.paymentApproved]: Q.paymentApproved,
  [Q.paymentFunded]: C.paymentSuccess,
});

/**
 * Catalog name → the quick-start name that replaces it when emitting in the quick-start dialect
 * (sandbox `--topics quickstart`); catalog topics absent here keep their catalog name in that dialect.
 */
export const QUICKSTART_TOPIC_FOR: Readonly<Partial<Record<CatalogTopic, QuickstartTopic>>> = Object.freeze({
  [C.recipientNotificationSent]: Q.notificationSent,
  [C.recipientAuthenticationSuccess]: Q.authenticationComplete,
  [C.tokenizationSuccess]: Q.tokenizationComplete,
  [C.paymentSuccess]: Q.paymentFunded,
});

/**
 * The name a topic has in the requested dialect (for emitters), or undefined when the dialect has no
 * name for it: the quick-start `...payment.status.approved` has no twin in Ingo's reference catalog
 * (approvals.complete is the Managed approval gate, not a payment approval), so a catalog emitter sends
 * nothing for that step rather than a quick-start name.
 */
export function topicInDialect(topic: CanonicalTopic, dialect: 'quickstart' | 'catalog'): KnownTopic | undefined {
  if (dialect === 'quickstart') return QUICKSTART_TOPIC_FOR[topic as CatalogTopic] ?? topic;
  return CATALOG_SET.has(topic) ? topic : undefined;
}
