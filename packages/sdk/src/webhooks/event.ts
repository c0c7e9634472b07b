// The normalized webhook event of docs/ingo-contract.md §6: one shape for every topic of §6.1 in both dialects,
// with `kind` discriminating the typed `details` of each topic family.

import type { CanonicalTopic, TopicDialect, TopicKind } from '../topics/catalog.js';

export interface FieldResult {
  fieldLabel: string;
  isMatching: boolean | undefined;
  hardFailOnMismatch: boolean | undefined;
}

export interface NotificationDetails {
  /** `recipient` for `transaction.recipient.*`, `party` for Managed `transaction.party.*`. */
  audience: 'recipient' | 'party';
  state: 'sent' | 'received' | 'bounced';
}

export interface AuthenticationDetails {
  audience: 'recipient' | 'party';
  outcome: 'success' | 'failure';
  attemptCount: number | undefined;
  maxAttempts: number | undefined;
  hasPassed: boolean | undefined;
  wasSkipped: boolean | undefined;
  fieldResults: FieldResult[];
  /** Some field did not match and its mismatch is a hard failure. */
  hardMismatch: boolean;
}

export interface OtacDetails {
  step: 'delivery_generated' | 'delivery_limit' | 'validation_success' | 'validation_failure';
  attemptCount: number | undefined;
  maxAttempts: number | undefined;
}

export interface VerificationDetails {
  check: 'rvdm' | 'ofac';
  outcome: 'success' | 'failure' | 'suspended' | 'cleared';
  /** RVDM reported success with status 1104, a soft failure. */
  softFailure: boolean;
}

export interface AccountVerificationDetails {
  /** Third segment of the topic: `card`, `paypal`, `ach`… */
  method: string;
  outcome: 'success' | 'failure' | undefined;
  /** Last segment of the topic, e.g. `cns_cd`, `av`. */
  reason: string | undefined;
  attemptCount: number | undefined;
  maxAttempts: number | undefined;
}

/** Ingo sends issuers as strings or objects; both are kept as sent. */
export type Issuer = string | Record<string, unknown>;

export interface TokenizationDetails {
  customerAccountToken: string | undefined;
  /** `CA` card, `AC` ACH, `PD` PayPal, `CK` check, … */
  accountType: string | undefined;
  accountId: string | undefined;
  issuers: Issuer[];
}

export interface ApprovalDetails {
  step: 'payment_suspended' | 'approved' | 'declined' | 'complete';
}

export interface PaymentDetails {
  outcome: 'approved' | 'success' | 'terminated' | 'failure' | 'returned';
  accountId: string | undefined;
  reasonCode: string | undefined;
}

/** Meaning of a check `reason_code` (docs/ingo-contract.md §6.1). */

export interface CheckDetails {
  step: 'chosen' | 'issued' | 'paid' | 'canceled' | 'stopped' | 'returned';
  checkNumber: string | undefined;
  /** Decimal dollars as sent, e.g. `"500.00"` (never a float). */
  checkAmount: string | undefined;
  reasonCode: string | undefined;
  reasonDescription: string | undefined;
}

export interface DisbursementDetails {
  outcome: 'expired' | 'canceled';
  reasonCode: string | undefined;
}

/** `data.event` as sent, for topics notifykit does not know. */
export type UnknownDetails = Record<string, unknown>;

export interface WebhookEventDetailsByKind {
  notification: NotificationDetails;
  authentication: AuthenticationDetails;
  otac: OtacDetails;
  verification: VerificationDetails;
  account_verification: AccountVerificationDetails;
  tokenization: TokenizationDetails;
  approval: ApprovalDetails;
  payment: PaymentDetails;
  check: CheckDetails;
  disbursement: DisbursementDetails;
  unknown: UnknownDetails;
}

interface WebhookEventBase {
  /** Distinguishes Ingo events from the lifecycle's local events. */
  source: 'ingo';
  /** `metadata.id`, always a string; the deduplication key. */
  id: string;
  /** `metadata.topic` exactly as received. */
  topic: string;
  /** Catalog name (see `canonicalTopic`); for unknown topics the received name without `gateway.`. */
  canonicalTopic: CanonicalTopic | (string & {});
  dialect: TopicDialect;
  /** From `metadata.timestamp` (Unix seconds); undefined when absent or unreadable. */
  occurredAt: Date | undefined;
  /** `metadata.version`. */
  version: string | undefined;
  topicDescription: string | undefined;
  /** `data.ancillary.notification_id` as a string (`''` when absent). */
  notificationId: string;
  participantUniqueId1: string;
  participantUniqueId2: string;
  /** Managed party id; undefined when absent or empty. */
  partyId: string | undefined;
  /** Undefined when absent or empty. */
  sessionId: string | undefined;
  /** `data.event.status` (or `status_code`) as a number. */
  statusCode: number | undefined;
  clientMessage: string | undefined;
  /** The parsed payload, unknown fields included. */
  raw: Record<string, unknown>;
}

export type WebhookEventOf<K extends TopicKind> = WebhookEventBase & {
  kind: K;
  details: WebhookEventDetailsByKind[K];
};

/** A verified, normalized Ingo webhook; `kind` discriminates `details`. */
export type IngoWebhookEvent = { [K in TopicKind]: WebhookEventOf<K> }[TopicKind];
