// The webhook topic catalog of ingo-api.md §6.1 in both naming dialects. Ingo's Classic quick start
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

/** Ingo's event-reference catalog (plus the four Decision names of ingo-api.md §6.1). */
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

export interface TopicInfo {
  kind: Exclude<TopicKind, 'unknown'>;
  /** `metadata.version` Ingo sends with this topic. */
  version: string;
  /** `data.event.status` a realistic payload carries. */
  statusCode: number;
  /** `data.event.client_message` a realistic payload carries. */
  clientMessage: string;
  /**
   * `ingo` when Ingo's documentation or fixtures give this code and message; `decision` when Ingo
   * publishes none and notifykit chose them (ingo-api.md: "Decision"), so nobody mistakes them for Ingo's.
   */
  codeSource: 'ingo' | 'decision';
  /** `metadata.topic_description`. */
  description: string;
}

const C = CATALOG_TOPICS;
const Q = QUICKSTART_TOPICS;

/** Metadata of every known topic: what the sandbox puts in `metadata` and `data.event`. */
export const TOPIC_INFO: Readonly<Record<KnownTopic, TopicInfo>> = Object.freeze({
  [C.recipientNotificationSent]: {
    kind: 'notification',
    version: '1',
    statusCode: 1200,
    clientMessage: 'Notification Sent',
    codeSource: 'decision',
    description: 'This event indicates that the notification was sent.',
  },
  [C.recipientNotificationReceived]: {
    kind: 'notification',
    version: '1',
    statusCode: 1201,
    clientMessage: 'Notification Received',
    codeSource: 'decision',
    description: 'This event indicates that the recipient received and opened the notification.',
  },
  [C.recipientNotificationBounced]: {
    kind: 'notification',
    version: '1',
    statusCode: 1204,
    clientMessage: 'IIP-003-EMAIL: NOTIFICATION TIMEOUT',
    codeSource: 'ingo',
    description: 'This event reports a recipient notification as being bounced',
  },
  [C.partyNotificationSent]: {
    kind: 'notification',
    version: '1',
    statusCode: 1200,
    clientMessage: 'Notification Sent',
    codeSource: 'decision',
    description: 'This event indicates that the notification was sent.',
  },
  [C.partyNotificationReceived]: {
    kind: 'notification',
    version: '1',
    statusCode: 1201,
    clientMessage: 'Notification Received',
    codeSource: 'decision',
    description: 'This event indicates that the party received and opened the notification.',
  },
  [C.partyNotificationBounced]: {
    kind: 'notification',
    version: '1',
    statusCode: 1243,
    clientMessage: 'Notification Bounced',
    codeSource: 'ingo',
    description: 'This event reports a party notification as being bounced',
  },
  [C.recipientAuthenticationSuccess]: {
    kind: 'authentication',
    version: '1',
    statusCode: 1100,
    clientMessage: 'Authentication Success',
    codeSource: 'ingo',
    description: 'This event reports that the recipient passed identity verification.',
  },
  [C.recipientAuthenticationFailure]: {
    kind: 'authentication',
    version: '1',
    statusCode: 1102,
    clientMessage: 'Authentication Failure',
    codeSource: 'ingo',
    description: 'This event reports a failed identity verification attempt by the recipient.',
  },
  [C.partyDynamicValidationSuccess]: {
    kind: 'authentication',
    version: '1',
    statusCode: 1100,
    clientMessage: 'Authentication Success',
    codeSource: 'ingo',
    description: 'This event reports that the party passed dynamic validation.',
  },
  [C.partyDynamicValidationFailure]: {
    kind: 'authentication',
    version: '1',
    statusCode: 1102,
    clientMessage: 'Authentication Failure',
    codeSource: 'ingo',
    description: 'This event reports a failed dynamic validation attempt by the party.',
  },
  [C.partyOtacDeliveryGenerate]: {
    kind: 'otac',
    version: '1',
    statusCode: 1154,
    clientMessage: 'OTAC Generated',
    codeSource: 'ingo',
    description: 'This event reports that a one-time access code was generated and delivered.',
  },
  [C.partyOtacDeliveryLimit]: {
    kind: 'otac',
    version: '1',
    statusCode: 1151,
    clientMessage: 'OTAC Delivery Limit Reached',
    codeSource: 'ingo',
    description: 'This event reports that the one-time access code delivery limit was reached.',
  },
  [C.partyOtacValidationSuccess]: {
    kind: 'otac',
    version: '1',
    statusCode: 1155,
    clientMessage: 'OTAC Validation Success',
    codeSource: 'ingo',
    description: 'This event reports that the party entered a valid one-time access code.',
  },
  [C.partyOtacValidationFailure]: {
    kind: 'otac',
    version: '1',
    statusCode: 1156,
    clientMessage: 'OTAC Validation Failure',
    codeSource: 'decision',
    description: 'This event reports that the party entered an invalid one-time access code.',
  },
  [C.rvdmSuccess]: {
    kind: 'verification',
    version: '1',
    statusCode: 1103,
    clientMessage: 'RVDM Success',
    codeSource: 'ingo',
    description: 'This event reports that the risk verification passed (1104: soft failure).',
  },
  [C.rvdmFailure]: {
    kind: 'verification',
    version: '1',
    statusCode: 1105,
    clientMessage: 'RVDM Failure',
    codeSource: 'ingo',
    description: 'This event reports that the risk verification failed.',
  },
  [C.ofacSuspended]: {
    kind: 'verification',
    version: '1',
    statusCode: 1106,
    clientMessage: 'OFAC Suspended',
    codeSource: 'ingo',
    description: 'This event reports that the transaction is suspended pending an OFAC review.',
  },
  [C.ofacCleared]: {
    kind: 'verification',
    version: '1',
    statusCode: 1107,
    clientMessage: 'OFAC Cleared',
    codeSource: 'ingo',
    description: 'This event reports that the OFAC review cleared the transaction.',
  },
  [C.ofacFailure]: {
    kind: 'verification',
    version: '1',
    statusCode: 1108,
    clientMessage: 'OFAC Failure',
    codeSource: 'ingo',
    description: 'This event reports an OFAC failure; the transaction will now be terminated. (Terminal)',
  },
  [C.cardVerificationFailureCnsCd]: {
    kind: 'account_verification',
    version: '1',
    statusCode: 700,
    clientMessage: 'Card Verification Failure',
    codeSource: 'ingo',
    description: 'This event reports that the card could not be verified; the recipient may retry.',
  },
  [C.paypalVerificationSuccessAv]: {
    kind: 'account_verification',
    version: '1',
    statusCode: 1148,
    clientMessage: 'PayPal Account Verified',
    codeSource: 'ingo',
    description: 'This event reports that the PayPal account was verified.',
  },
  [C.tokenizationSuccess]: {
    kind: 'tokenization',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'ingo',
    description: 'This event reports that the recipient selected a payment method and the account was tokenized.',
  },
  [C.approvalsPaymentSuspended]: {
    kind: 'approval',
    version: '1',
    statusCode: 1170,
    clientMessage: 'Approvals - Payment Suspended',
    codeSource: 'ingo',
    description: 'This event reports that the payment is suspended until the required approvals are received.',
  },
  [C.approvalsDecisionApproved]: {
    kind: 'approval',
    version: '1',
    statusCode: 1123,
    clientMessage: 'Approvals - Decision Approved',
    codeSource: 'ingo',
    description: 'This event reports that an approver approved the transaction.',
  },
  [C.approvalsDecisionDeclined]: {
    kind: 'approval',
    version: '1',
    statusCode: 1124,
    clientMessage: 'Approvals - Decision Declined',
    codeSource: 'ingo',
    description: 'This event reports that an approver declined the transaction.',
  },
  [C.approvalsComplete]: {
    kind: 'approval',
    version: '1',
    statusCode: 1171,
    clientMessage: 'Approvals - Complete',
    codeSource: 'ingo',
    description: 'This event reports that all of the transaction\u2019s required approval(s) have been received.',
  },
  [C.paymentSuccess]: {
    kind: 'payment',
    version: '3',
    statusCode: 1125,
    clientMessage: 'Success',
    codeSource: 'ingo',
    description: 'This event reports that the payment to the customer was completed. (Terminal)',
  },
  [C.paymentTerminated]: {
    kind: 'payment',
    version: '1',
    statusCode: 1113,
    clientMessage: 'Transaction Terminated',
    codeSource: 'ingo',
    description: 'This event reports that the transaction was terminated. (Terminal)',
  },
  [C.paymentFailure]: {
    kind: 'payment',
    version: '1',
    statusCode: 1126,
    clientMessage: 'Payment Failure',
    codeSource: 'decision',
    description: 'This event reports that the payment to the customer failed. (Terminal)',
  },
  [C.paymentReturned]: {
    kind: 'payment',
    version: '1',
    statusCode: 1127,
    clientMessage: 'Payment Returned',
    codeSource: 'decision',
    description: 'This event reports that a completed payment was returned. (Terminal)',
  },
  [C.checkChosen]: {
    kind: 'check',
    version: '1',
    statusCode: 1111,
    clientMessage: 'Check Selected',
    codeSource: 'ingo',
    description: 'This event reports that the recipient chose to receive a mailed check.',
  },
  [C.checkIssued]: {
    kind: 'check',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'ingo',
    description: 'This event indicates that the check transaction status has been updated to check issued',
  },
  [C.checkPaid]: {
    kind: 'check',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'decision',
    description: 'This event indicates that the check transaction status has been updated to check paid',
  },
  [C.checkCanceled]: {
    kind: 'check',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'decision',
    description: 'This event indicates that the check transaction status has been updated to check canceled',
  },
  [C.checkStopped]: {
    kind: 'check',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'decision',
    description: 'This event indicates that the check transaction status has been updated to check stopped',
  },
  [C.checkReturned]: {
    kind: 'check',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'decision',
    description: 'This event indicates that the check transaction status has been updated to check returned',
  },
  [C.disbursementExpired]: {
    kind: 'disbursement',
    version: '1',
    statusCode: 1128,
    clientMessage: 'Disbursement Expired',
    codeSource: 'decision',
    description: 'This event reports that the disbursement expired before the recipient claimed it. (Terminal)',
  },
  [C.disbursementCanceled]: {
    kind: 'disbursement',
    version: '1',
    statusCode: 1129,
    clientMessage: 'Disbursement Canceled',
    codeSource: 'decision',
    description: 'This event reports that the disbursement was canceled. (Terminal)',
  },
  [Q.notificationSent]: {
    kind: 'notification',
    version: '1',
    statusCode: 1200,
    clientMessage: 'Notification Sent',
    codeSource: 'decision',
    description: 'This event indicates that the recipient was notified by email/SMS.',
  },
  [Q.authenticationComplete]: {
    kind: 'authentication',
    version: '1',
    statusCode: 1100,
    clientMessage: 'Authentication Success',
    codeSource: 'ingo',
    description: 'This event reports that the recipient passed identity verification.',
  },
  [Q.tokenizationComplete]: {
    kind: 'tokenization',
    version: '1',
    statusCode: 100,
    clientMessage: 'Success',
    codeSource: 'ingo',
    description: 'This event reports that the recipient selected a payment method and the account was tokenized.',
  },
  [Q.paymentApproved]: {
    kind: 'payment',
    version: '1',
    statusCode: 100,
    clientMessage: 'Approved',
    codeSource: 'decision',
    description: 'This event reports that the disbursement was approved and submitted for processing.',
  },
  [Q.paymentFunded]: {
    kind: 'payment',
    version: '3',
    statusCode: 1125,
    clientMessage: 'Success',
    codeSource: 'ingo',
    description: 'This event reports that the funds were delivered to the recipient. (Terminal)',
  },
} satisfies Record<KnownTopic, TopicInfo>);

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

const LEGACY_PREFIX = 'gateway.';
// Unnamed "ACH/AVS variants" of account verification (ingo-api.md §6.1) are recognized by family.
const ACCOUNT_VERIFICATION_PREFIX = 'transaction.account.verification.';

const QUICKSTART_SET: ReadonlySet<string> = new Set(QUICKSTART_TOPIC_NAMES);
const CATALOG_SET: ReadonlySet<string> = new Set(CATALOG_TOPIC_NAMES);

export interface TopicResolution {
  /** The topic exactly as received. */
  topic: string;
  /** Catalog name (or `...payment.status.approved`); for an unknown topic, the received name without `gateway.`. */
  canonicalTopic: string;
  dialect: TopicDialect;
  kind: TopicKind;
  /** Metadata when the topic is in the catalog of either dialect. */
  info: TopicInfo | undefined;
}

function stripPrefix(topic: string): string {
  return topic.startsWith(LEGACY_PREFIX) ? topic.slice(LEGACY_PREFIX.length) : topic;
}

function resolveBare(received: string, bare: string): TopicResolution | undefined {
  if (CATALOG_SET.has(bare)) {
    const info = TOPIC_INFO[bare as CatalogTopic];
    return { topic: received, canonicalTopic: bare, dialect: 'catalog', kind: info.kind, info };
  }
  if (QUICKSTART_SET.has(bare)) {
    const info = TOPIC_INFO[bare as QuickstartTopic];
    const canonical = CATALOG_TOPIC_FOR[bare as QuickstartTopic];
    return { topic: received, canonicalTopic: canonical, dialect: 'quickstart', kind: info.kind, info };
  }
  if (bare.startsWith(ACCOUNT_VERIFICATION_PREFIX) && bare.length > ACCOUNT_VERIFICATION_PREFIX.length) {
    return { topic: received, canonicalTopic: bare, dialect: 'catalog', kind: 'account_verification', info: undefined };
  }
  return undefined;
}

// Topics repeat endlessly on a busy endpoint; memoizing keeps string work off the webhook hot path.
const resolutionCache = new Map<string, TopicResolution>();
const RESOLUTION_CACHE_LIMIT = 512;

/**
 * Resolves a received topic: strips the legacy `gateway.` prefix, tolerates case and surrounding
 * whitespace, maps quick-start names to catalog names, and tells the dialect and family. Unknown topics
 * resolve to `kind: 'unknown'`; they are never an error.
 */
export function resolveTopic(topic: string): TopicResolution {
  const cached = resolutionCache.get(topic);
  if (cached !== undefined) return cached;
  const resolved = resolveBare(topic, stripPrefix(topic)) ??
    resolveBare(topic, stripPrefix(topic.trim().toLowerCase())) ?? {
      topic,
      canonicalTopic: stripPrefix(topic.trim()),
      dialect: 'unknown' as const,
      kind: 'unknown' as const,
      info: undefined,
    };
  if (resolutionCache.size < RESOLUTION_CACHE_LIMIT) resolutionCache.set(topic, Object.freeze(resolved));
  return resolved;
}

/**
 * The one name a topic has in notifykit: `gateway.` stripped, quick-start names mapped to the catalog
 * (`...notification.sent` → `...notification.status.sent`, `...authentication.complete` →
 * `...authentication.status.success`, `...payment.tokenization.complete` →
 * `transaction.account.tokenization.success`, `...payment.status.funded` → `...payment.status.success`;
 * `...payment.status.approved` has no catalog twin and stays).
 */
export function canonicalTopic(topic: string): string {
  return resolveTopic(topic).canonicalTopic;
}

/** True for a topic of either dialect (with or without `gateway.`), including account-verification variants. */
export function isKnownTopic(topic: string): boolean {
  return resolveTopic(topic).kind !== 'unknown';
}
