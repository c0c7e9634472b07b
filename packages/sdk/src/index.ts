// `@notifykit/sdk`: every name here is exported on purpose, grouped by feature. Internals (the request
// sender, the signing-string builder, the tolerant JSON readers, the per-topic tables…) stay in their
// modules, where their tests import them. Signing, webhooks and the lifecycle are also entry points of
// their own (`@notifykit/sdk/signing`, `/webhooks`, `/lifecycle`), exporting the same names as here.

// --- Client: stage, cancel and Managed stage over a signed, timed-out, retried transport -----------
export {
  type CallOptions,
  type CancelInput,
  type CheckCancelInput,
  type CheckStopInput,
  IngoClient,
  type IngoClientOptions,
  type IngoEnvironment,
  type ManagedStageInput,
  newTracerId,
  type StageInput,
  type StageRecipientInput,
} from './client/ingo-client.js';
export type { RateLimitOptions } from './client/rate-limiter.js';
export type { IngoLogger, RetryOptions } from './client/request-sender.js';
export type {
  CancelResult,
  CheckActionResult,
  ManagedPartyResult,
  ManagedStageResult,
  StageResult,
} from './client/responses.js';
// --- Errors: one class per way to fail, each with a stable `code`; `instanceof` works across copies ----
export {
  AbortError,
  AuthenticationError,
  CancelOutcomeUnknownError,
  ConfigurationError,
  HttpError,
  IngoApiError,
  type IngoApiErrorInit,
  IngoCardError,
  type IngoErrorFamily,
  IngoInProgressError,
  IngoIssuerDeclineError,
  IngoRequestError,
  IngoStateError,
  IngoSystemError,
  IngoTransactionError,
  IngoValidationError,
  NetworkError,
  NotifykitError,
  ResponseParseError,
  type SignatureFailureCode,
  SignatureVerificationError,
  TimeoutError,
  ValidationError,
  type ValidationIssue,
  type WebhookFailureCode,
  WebhookVerificationError,
} from './errors.js';
// --- Lifecycle: the disbursement reducer (also `@notifykit/sdk/lifecycle`) ---------------------------
export {
  type ApprovalDecision,
  ATTENTION_CODES,
  type AttentionCode,
  type AttentionFact,
  applyEvent,
  canCancel,
  cancelRefusalReason,
  classifyTopic,
  DISBURSEMENT_STATUSES,
  type DisbursementState,
  type DisbursementStatus,
  describeTransition,
  type HoldState,
  initialState,
  type LifecycleContext,
  type LifecycleEvent,
  type LocalEventType,
  type LocalLifecycleEvent,
  reduceEvents,
  restoreState,
  type SideFact,
  STATUS_RANK,
  type StatusCondition,
  TERMINAL_STATUSES,
  type TerminalOutcome,
  type TopicClassification,
  type Transition,
  type TransitionOutcome,
} from './lifecycle/index.js';
// --- Money, redaction, version ----------------------------------------------------------------------
export { amountToCents, formatCents } from './money.js';
export { isSensitiveKey, REDACTED, redact, redactLogFields } from './redaction.js';
// --- Requests: Ingo's wire schemas, shared with the sandbox and the server ------------------------
export { type CancelRequest, cancelRequestSchema, validateCancelRequest } from './requests/cancel.js';
export {
  CHECK_CANCEL_REASON_CODES,
  CHECK_STOP_REASON_CODES,
  type CheckCancelRequest,
  type CheckStopRequest,
  checkCancelRequestSchema,
  checkStopRequestSchema,
  validateCheckCancelRequest,
  validateCheckStopRequest,
} from './requests/check.js';
export type { PassThroughFields } from './requests/fields.js';
export {
  type ManagedStageRequest,
  type ManagedStageRequestSchema,
  managedStageRequestSchema,
  validateManagedStageRequest,
} from './requests/managed-stage.js';
export { normalizeManagedStagePhones, normalizeStagePhones, normalizeUsPhone } from './requests/phone.js';
export type { ProgramRules } from './requests/program-rules.js';
export {
  type StageRequest,
  type StageRequestSchema,
  stageRequestSchema,
  validateStageRequest,
} from './requests/stage.js';
// --- Signing: gateway request signatures (also `@notifykit/sdk/signing`) ---------------------------
export {
  type IncomingHeaders,
  type IncomingRequest,
  type SignedRequest,
  type SigningAlgorithm,
  type SignRequestInput,
  signRequest,
  type VerifiedSignature,
  type VerifyOptions,
  verifyRequestSignature,
} from './signing/index.js';
// --- Topics: Ingo's webhook topic catalog in both dialects ------------------------------------------
export {
  CATALOG_TOPICS,
  type CanonicalTopic,
  type CatalogTopic,
  type KnownTopic,
  QUICKSTART_TOPICS,
  type QuickstartTopic,
  type TopicDialect,
  type TopicKind,
  topicInDialect,
} from './topics/catalog.js';
export { canonicalTopic, isKnownTopic } from './topics/resolve.js';
export { TOPIC_INFO, type TopicInfo } from './topics/topic-info.js';
export { SDK_VERSION } from './version.js';
// --- Webhooks: verify and normalize Ingo's events (also `@notifykit/sdk/webhooks`) -----------------
export {
  type AccountVerificationDetails,
  type ApprovalDetails,
  type AuthenticationDetails,
  type CheckDetails,
  type DisbursementDetails,
  type FieldResult,
  type IngoWebhookEvent,
  type Issuer,
  type NotificationDetails,
  type OtacDetails,
  type PaymentDetails,
  parseWebhookEvent,
  signWebhook,
  type TokenizationDetails,
  type UnknownDetails,
  type VerificationDetails,
  type VerifyWebhookInput,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
  type WebhookAlgorithm,
  type WebhookBody,
  type WebhookEncoding,
  type WebhookEventDetailsByKind,
  type WebhookEventOf,
  type WebhookScheme,
} from './webhooks/index.js';
