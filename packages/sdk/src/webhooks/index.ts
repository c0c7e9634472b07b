// `@notifykit/sdk/webhooks`: verify an Ingo webhook's `X-Ingo-Signature` and normalize its event
// (docs/ingo-contract.md §6), or sign one as Ingo would (the sandbox, tests).

export type {
  AccountVerificationDetails,
  ApprovalDetails,
  AuthenticationDetails,
  CheckDetails,
  DisbursementDetails,
  FieldResult,
  IngoWebhookEvent,
  Issuer,
  NotificationDetails,
  OtacDetails,
  PaymentDetails,
  TokenizationDetails,
  UnknownDetails,
  VerificationDetails,
  WebhookEventDetailsByKind,
  WebhookEventOf,
} from './event.js';
export { parseWebhookEvent, type WebhookBody } from './normalize.js';
export {
  signWebhook,
  type VerifyWebhookInput,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookAlgorithm,
  type WebhookEncoding,
  type WebhookScheme,
} from './verify.js';
