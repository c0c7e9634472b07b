// What the sandbox puts in `metadata` and `data.event` for every known topic, in both dialects. The
// table is long because it is data: one entry per topic, each with Ingo's or notifykit's code and text.

import { CATALOG_TOPICS, type KnownTopic, QUICKSTART_TOPICS, type TopicKind } from './catalog.js';

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
   * publishes none and notifykit chose them (docs/ingo-contract.md: "Decision"), so nobody mistakes them for Ingo's.
   */
  codeSource: 'ingo' | 'decision';
  /** `metadata.topic_description`. */
  description: string;
}

const C = CATALOG_TOPICS;
const Q = QUICKSTART_TOPICS;

// `as const` keeps each entry's `kind` literal, so the other per-topic tables can be checked against it.
const TOPIC_TABLE = {
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
    clientMessage: 'Address on file verified by customer',
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
    version: '4',
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
    clientMessage: 'Approver - Payment Authorized',
    codeSource: 'ingo',
    description: 'This event reports that an approver approved the transaction.',
  },
  [C.approvalsDecisionDeclined]: {
    kind: 'approval',
    version: '1',
    statusCode: 1124,
    clientMessage: 'Approver - Payment Not Authorized',
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
    clientMessage: 'Disbursement / Payment has been terminated',
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
    version: '4',
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
} as const satisfies Record<KnownTopic, TopicInfo>;

/** Metadata of every known topic: what the sandbox puts in `metadata` and `data.event`. */
export const TOPIC_INFO: Readonly<Record<KnownTopic, TopicInfo>> = Object.freeze(TOPIC_TABLE);

/** The family of a known topic as {@link TOPIC_INFO} records it (a type: tables keyed by topic check against it). */
export type TopicKindOf<T extends KnownTopic> = (typeof TOPIC_TABLE)[T]['kind'];
