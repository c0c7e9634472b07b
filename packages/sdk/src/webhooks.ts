// Ingo webhooks, ingo-api.md §6: the `X-Ingo-Signature` scheme (a notifykit Decision, Ingo publishes
// none) and normalization of every topic of §6.1 in both dialects into one typed event. Verification
// is on the hot path of every delivery, so the success path does one HMAC per (secret, scheme), one
// JSON.parse and plain property reads; all diagnosis happens only after a failure.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, WebhookVerificationError } from './errors.js';
import type { IncomingHeaders } from './signing/verify-request.js';
import type { CanonicalTopic, TopicDialect, TopicKind } from './topics/catalog.js';
import { resolveTopic } from './topics/resolve.js';
import { driftInteger, driftString, isJsonObject, type JsonObject } from './type-drift.js';

export const WEBHOOK_SIGNATURE_HEADER = 'x-ingo-signature';

export type WebhookAlgorithm = 'sha512' | 'sha256';
export type WebhookEncoding = 'base64' | 'hex';

export interface WebhookScheme {
  /** HMAC hash; default `sha512`. */
  algorithm?: WebhookAlgorithm;
  /** Encoding of the header value; default `base64`. */
  encoding?: WebhookEncoding;
}

export const DEFAULT_WEBHOOK_SCHEME: Readonly<Required<WebhookScheme>> = Object.freeze({
  algorithm: 'sha512',
  encoding: 'base64',
});

export type WebhookBody = string | Uint8Array;

// --- normalized event types -----------------------------------------------------------------------

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

/** Meaning of a check `reason_code` (ingo-api.md §6.1). */
export const CHECK_REASON_CODES: Readonly<Record<string, string>> = Object.freeze({
  '73': 'not printed',
  '74': 'undelivered',
  '75': 'client request',
  '76': 'internal',
});

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
  /** `data.event.status` as a number. */
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

// --- tolerant readers -----------------------------------------------------------------------------

function asNonEmptyString(value: unknown): string | undefined {
  const s = driftString(value);
  return s === undefined || s === '' ? undefined : s;
}

function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes' || v === 'y') return true;
    if (v === 'false' || v === '0' || v === 'no' || v === 'n') return false;
  }
  return undefined;
}

// Ingo documents Unix seconds; a millisecond value (13 digits) is tolerated rather than read as year 50000.
function asDate(value: unknown): Date | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  const date = new Date(n >= 1e11 ? n : n * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

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

// --- details per topic ----------------------------------------------------------------------------

type DetailsBuilder = (event: JsonObject, canonical: string) => WebhookEventDetailsByKind[TopicKind];

const notification =
  (audience: NotificationDetails['audience'], state: NotificationDetails['state']): DetailsBuilder =>
  () =>
    ({ audience, state }) satisfies NotificationDetails;

const authentication =
  (audience: AuthenticationDetails['audience'], outcome: AuthenticationDetails['outcome']): DetailsBuilder =>
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
  (step: OtacDetails['step']): DetailsBuilder =>
  (e) =>
    ({
      step,
      attemptCount: driftInteger(e.attempt_count),
      maxAttempts: driftInteger(e.max_attempts),
    }) satisfies OtacDetails;

const verification =
  (check: VerificationDetails['check'], outcome: VerificationDetails['outcome']): DetailsBuilder =>
  (e) =>
    ({
      check,
      outcome,
      softFailure: check === 'rvdm' && driftInteger(e.status) === 1104,
    }) satisfies VerificationDetails;

const accountVerification: DetailsBuilder = (e, canonical) => {
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

const tokenization: DetailsBuilder = (e) =>
  ({
    customerAccountToken: asNonEmptyString(e.customer_account_token),
    accountType: asNonEmptyString(e.account_type),
    accountId: asNonEmptyString(e.account_id),
    issuers: issuers(e.issuers),
  }) satisfies TokenizationDetails;

const approval =
  (step: ApprovalDetails['step']): DetailsBuilder =>
  () =>
    ({ step }) satisfies ApprovalDetails;

const payment =
  (outcome: PaymentDetails['outcome']): DetailsBuilder =>
  (e) =>
    ({
      outcome,
      accountId: asNonEmptyString(e.account_id),
      reasonCode: asNonEmptyString(e.reason_code),
    }) satisfies PaymentDetails;

const check =
  (step: CheckDetails['step']): DetailsBuilder =>
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
  (outcome: DisbursementDetails['outcome']): DetailsBuilder =>
  (e) =>
    ({ outcome, reasonCode: asNonEmptyString(e.reason_code) }) satisfies DisbursementDetails;

const DETAILS: ReadonlyMap<string, DetailsBuilder> = new Map<CanonicalTopic, DetailsBuilder>([
  ['transaction.recipient.notification.status.sent', notification('recipient', 'sent')],
  ['transaction.recipient.notification.status.received', notification('recipient', 'received')],
  ['transaction.recipient.notification.status.bounced', notification('recipient', 'bounced')],
  ['transaction.party.notification.status.sent', notification('party', 'sent')],
  ['transaction.party.notification.status.received', notification('party', 'received')],
  ['transaction.party.notification.status.bounced', notification('party', 'bounced')],
  ['transaction.recipient.authentication.status.success', authentication('recipient', 'success')],
  ['transaction.recipient.authentication.status.failure', authentication('recipient', 'failure')],
  ['transaction.party.authentication.dynamic.validation.success', authentication('party', 'success')],
  ['transaction.party.authentication.dynamic.validation.failure', authentication('party', 'failure')],
  ['transaction.party.authentication.otac.delivery.generate', otac('delivery_generated')],
  ['transaction.party.authentication.otac.delivery.limit', otac('delivery_limit')],
  ['transaction.party.authentication.otac.validation.success', otac('validation_success')],
  ['transaction.party.authentication.otac.validation.failure', otac('validation_failure')],
  ['transaction.recipient.verification.rvdm.success', verification('rvdm', 'success')],
  ['transaction.recipient.verification.rvdm.failure', verification('rvdm', 'failure')],
  ['transaction.recipient.verification.ofac.status.suspended', verification('ofac', 'suspended')],
  ['transaction.recipient.verification.ofac.status.cleared', verification('ofac', 'cleared')],
  ['transaction.recipient.verification.ofac.status.failure', verification('ofac', 'failure')],
  ['transaction.account.tokenization.success', tokenization],
  ['transaction.recipient.payment.status.approvals.pmt-suspended', approval('payment_suspended')],
  ['transaction.recipient.payment.status.approvals.decision.approved', approval('approved')],
  ['transaction.recipient.payment.status.approvals.decision.declined', approval('declined')],
  ['transaction.recipient.payment.status.approvals.complete', approval('complete')],
  ['transaction.recipient.payment.status.approved', payment('approved')],
  ['transaction.recipient.payment.status.success', payment('success')],
  ['transaction.recipient.payment.status.terminated', payment('terminated')],
  ['transaction.recipient.payment.status.failure', payment('failure')],
  ['transaction.recipient.payment.status.returned', payment('returned')],
  ['transaction.recipient.payment.status.check', check('chosen')],
  ['transaction.recipient.payment.status.check.issued', check('issued')],
  ['transaction.recipient.payment.status.check.paid', check('paid')],
  ['transaction.recipient.payment.status.check.canceled', check('canceled')],
  ['transaction.recipient.payment.status.check.stopped', check('stopped')],
  ['transaction.recipient.payment.status.check.returned', check('returned')],
  ['transaction.recipient.disbursement.status.expired', disbursement('expired')],
  ['transaction.recipient.disbursement.status.canceled', disbursement('canceled')],
]);

function detailsFor(kind: TopicKind, canonical: string, event: JsonObject): WebhookEventDetailsByKind[TopicKind] {
  if (kind === 'unknown') return event;
  if (kind === 'account_verification') return accountVerification(event, canonical);
  const build = DETAILS.get(canonical);
  return build === undefined ? event : build(event, canonical);
}

// --- envelope and normalization -------------------------------------------------------------------

function notAnEnvelope(problem: string): never {
  throw new WebhookVerificationError(
    'ERR_WEBHOOK_NOT_AN_ENVELOPE',
    `The webhook body is not an Ingo event envelope: ${problem} (expected {"metadata": {"id", "topic", …}, "data": {…}})`,
  );
}

function normalize(payload: unknown): IngoWebhookEvent {
  if (!isJsonObject(payload)) notAnEnvelope(`the JSON is ${Array.isArray(payload) ? 'an array' : typeof payload}`);
  const metadata = payload.metadata;
  if (!isJsonObject(metadata)) notAnEnvelope('"metadata" is missing or not an object');
  const id = asNonEmptyString(metadata.id);
  if (id === undefined) notAnEnvelope('"metadata.id" is missing or not a string or number');
  const topic = metadata.topic;
  if (typeof topic !== 'string' || topic === '') notAnEnvelope('"metadata.topic" is missing or not a string');
  const data = payload.data;
  if (!isJsonObject(data)) notAnEnvelope('"data" is missing or not an object');
  const ancillary = isJsonObject(data.ancillary) ? data.ancillary : {};
  const event = isJsonObject(data.event) ? data.event : {};
  const resolved = resolveTopic(topic);
  return {
    source: 'ingo',
    id,
    topic,
    canonicalTopic: resolved.canonicalTopic,
    dialect: resolved.dialect,
    occurredAt: asDate(metadata.timestamp),
    version: asNonEmptyString(metadata.version),
    topicDescription: driftString(metadata.topic_description),
    notificationId: driftString(ancillary.notification_id) ?? '',
    participantUniqueId1: driftString(ancillary.participant_unique_id1) ?? '',
    participantUniqueId2: driftString(ancillary.participant_unique_id2) ?? '',
    partyId: asNonEmptyString(ancillary.party_id),
    sessionId: asNonEmptyString(ancillary.session_id),
    statusCode: driftInteger(event.status),
    clientMessage: driftString(event.client_message),
    kind: resolved.kind,
    details: detailsFor(resolved.kind, resolved.canonicalTopic, event),
    raw: payload,
  } as IngoWebhookEvent;
}

function decodeBody(body: WebhookBody): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_MALFORMED_JSON',
      `The webhook body is not valid JSON (${text.length === 0 ? 'it is empty' : `${text.length} characters`})`,
    );
  }
}

/**
 * Normalizes an Ingo webhook **without checking its signature** — for bodies already verified (the
 * server stores the raw body, then re-reads it) or for tooling. Takes the raw body or its parsed JSON.
 */
export function parseWebhookEvent(body: WebhookBody | unknown): IngoWebhookEvent {
  if (typeof body === 'string' || body instanceof Uint8Array) return normalize(parseJson(decodeBody(body)));
  if (body instanceof ArrayBuffer) return normalize(parseJson(Buffer.from(body).toString('utf8')));
  return normalize(body);
}

// --- signing --------------------------------------------------------------------------------------

interface ResolvedScheme {
  algorithm: WebhookAlgorithm;
  encoding: WebhookEncoding;
}

function resolveScheme(scheme: WebhookScheme | undefined): ResolvedScheme {
  const algorithm = scheme?.algorithm ?? 'sha512';
  const encoding = scheme?.encoding ?? 'base64';
  if (algorithm !== 'sha512' && algorithm !== 'sha256') {
    throw new ConfigurationError(
      `Unsupported webhook signature algorithm "${String(algorithm)}": use sha512 (default) or sha256`,
      'ERR_WEBHOOK_SCHEME',
    );
  }
  if (encoding !== 'base64' && encoding !== 'hex') {
    throw new ConfigurationError(
      `Unsupported webhook signature encoding "${String(encoding)}": use base64 (default) or hex`,
      'ERR_WEBHOOK_SCHEME',
    );
  }
  return algorithm === 'sha512' && encoding === 'base64' ? DEFAULT_WEBHOOK_SCHEME : { algorithm, encoding };
}

const isPadded = (s: string): boolean => s.length > 0 && s.trim() !== s;

function secretProblem(secret: unknown, label: string): WebhookVerificationError | undefined {
  if (typeof secret !== 'string' || secret.length === 0) {
    return new WebhookVerificationError('ERR_WEBHOOK_NO_SECRET', `${label} is empty or not a string`);
  }
  if (isPadded(secret)) {
    // Usually a newline from `echo` into a .env file or a copy-paste; never print the secret itself.
    return new WebhookVerificationError(
      'ERR_WEBHOOK_SECRET_WHITESPACE',
      `${label} has leading or trailing whitespace (a stray space or newline from copying it?); remove it — the secret itself is not shown`,
    );
  }
  return undefined;
}

/** The `X-Ingo-Signature` value for a body: base64 HMAC-SHA512 of the raw bytes by default. */
export function signWebhook(rawBody: WebhookBody, secret: string, opts?: WebhookScheme): string {
  const problem = secretProblem(secret, 'The webhook secret');
  if (problem !== undefined) throw new ConfigurationError(problem.message, problem.code);
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new ConfigurationError(
      'signWebhook needs the exact body bytes (a string or Uint8Array), not a parsed object: sign what you send',
      'ERR_WEBHOOK_RAW_BODY_REQUIRED',
    );
  }
  const { algorithm, encoding } = resolveScheme(opts);
  return createHmac(algorithm, secret).update(rawBody).digest(encoding);
}

// --- verification ---------------------------------------------------------------------------------

export interface VerifyWebhookInput {
  /** The request body exactly as received (Buffer, Uint8Array, ArrayBuffer or string) — never the parsed JSON. */
  rawBody: WebhookBody | ArrayBuffer;
  headers: IncomingHeaders;
  /** The active webhook secret, or several during a rotation (any one may match). */
  secrets: string | readonly string[];
  /** Accepted signature scheme(s); default base64 HMAC-SHA512. */
  scheme?: WebhookScheme | readonly WebhookScheme[];
}

/**
 * Throws the configuration problem of a webhook secret list, if any: none given, an empty one, or one
 * with stray whitespace. The server can call it at start-up; {@link verifyWebhook} calls it every time.
 */
export function assertWebhookSecrets(secrets: string | readonly string[]): void {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  if (!Array.isArray(list) || list.length === 0) {
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_NO_SECRET',
      'No webhook secret configured: pass the secret Ingo (or the sandbox) signs with',
    );
  }
  for (let i = 0; i < list.length; i++) {
    const problem = secretProblem(list[i], list.length === 1 ? 'The webhook secret' : `Webhook secret #${i + 1}`);
    if (problem !== undefined) throw problem;
  }
}

// Not the request verifier's headerLookup: that copies every header into a map, and this runs on every delivery.
function signatureHeader(headers: IncomingHeaders): string | undefined {
  let value: unknown;
  if (typeof (headers as Headers).get === 'function') {
    value = (headers as Headers | ReadonlyMap<string, string>).get(WEBHOOK_SIGNATURE_HEADER);
    if (value === undefined && headers instanceof Map) {
      for (const [k, v] of headers) if (String(k).toLowerCase() === WEBHOOK_SIGNATURE_HEADER) value = v;
    }
  } else if (typeof headers === 'object' && headers !== null) {
    const record = headers as Record<string, unknown>;
    // Node lower-cases incoming header names; a hand-built object may not have.
    value = record[WEBHOOK_SIGNATURE_HEADER];
    if (value === undefined) {
      for (const k in record) if (k.toLowerCase() === WEBHOOK_SIGNATURE_HEADER) value = record[k];
    }
  }
  if (Array.isArray(value)) value = value.find((v) => typeof v === 'string' && v.trim() !== '');
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function sameSignature(expected: string, received: string): boolean {
  // Both are ASCII; an unequal length is already a mismatch and leaks only the length, which is public.
  if (expected.length !== received.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'latin1'), Buffer.from(received, 'latin1'));
}

function matchesAny(
  bytes: WebhookBody,
  secrets: readonly string[],
  schemes: readonly ResolvedScheme[],
  received: string,
): boolean {
  let matched = false;
  // Every combination is computed even after a match, so timing does not reveal which secret matched.
  for (const scheme of schemes) {
    const candidate = scheme.encoding === 'hex' ? received.toLowerCase() : received;
    for (const secret of secrets) {
      const expected = createHmac(scheme.algorithm, secret).update(bytes).digest(scheme.encoding);
      if (sameSignature(expected, candidate)) matched = true;
    }
  }
  return matched;
}

function describeParsedBody(rawBody: unknown): string | undefined {
  if (rawBody === undefined || rawBody === null) return `got ${String(rawBody)}`;
  if (typeof rawBody === 'string') {
    return rawBody === '[object Object]'
      ? 'got the string "[object Object]" (a parsed object turned into text)'
      : undefined;
  }
  if (rawBody instanceof Uint8Array) return undefined;
  if (typeof rawBody === 'object') return 'got a parsed object';
  return `got a ${typeof rawBody}`;
}

// Re-serializations a framework or a logging middleware typically produces from the parsed JSON.
const RESERIALIZATIONS: readonly ((value: unknown) => string)[] = [
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => JSON.stringify(v, null, 4),
  (v) => JSON.stringify(v, null, '\t'),
];

const DIAGNOSIS_BODY_LIMIT = 256 * 1024;

function mismatchMessage(
  text: string,
  secrets: readonly string[],
  schemes: readonly ResolvedScheme[],
  received: string,
): string {
  const base = `X-Ingo-Signature does not match the body with any of the ${secrets.length} configured secret(s) (scheme ${schemes
    .map((s) => `${s.algorithm}/${s.encoding}`)
    .join(', ')})`;
  let parsed: unknown;
  let isJson = false;
  // Diagnosis costs several HMACs; an unsigned flood of large bodies must not buy that much work.
  if (text.length <= DIAGNOSIS_BODY_LIMIT) {
    try {
      parsed = JSON.parse(text);
      isJson = true;
    } catch {
      // Not JSON: nothing to say about re-serialization.
    }
  }
  if (isJson) {
    for (const serialize of RESERIALIZATIONS) {
      const variant = serialize(parsed);
      if (variant !== text && matchesAny(variant, secrets, schemes, received)) {
        return `${base}: the body was re-serialized — the signature matches another serialization of the same JSON. Pass the raw request bytes exactly as received (e.g. a Buffer from express.raw() or Fastify's parseAs: 'buffer'), not JSON.stringify of the parsed body`;
      }
    }
    if (JSON.stringify(parsed) === text) {
      return `${base}: the body looks re-serialized (it is exactly what JSON.stringify produces, whitespace and key order normalized). Pass the raw request bytes exactly as received, not JSON.stringify of the parsed body; otherwise the secret is wrong or the body was altered`;
    }
  }
  const hints: string[] = [];
  const looksHex = /^[0-9a-fA-F]+$/.test(received);
  const bytes = looksHex ? received.length / 2 : Math.floor((received.replace(/=+$/, '').length * 3) / 4);
  const encodings = new Set(schemes.map((s) => s.encoding));
  const algorithms = new Set(schemes.map((s) => s.algorithm));
  if (looksHex && !encodings.has('hex') && (received.length === 128 || received.length === 64)) {
    hints.push("the header looks hex-encoded: configure scheme { encoding: 'hex' }");
  }
  if (bytes === 32 && !algorithms.has('sha256')) {
    hints.push("the header is 32 bytes, an HMAC-SHA256 size: configure scheme { algorithm: 'sha256' }");
  } else if (bytes === 64 && !algorithms.has('sha512')) {
    hints.push("the header is 64 bytes, an HMAC-SHA512 size: configure scheme { algorithm: 'sha512' }");
  }
  return hints.length > 0
    ? `${base}; ${hints.join('; ')}`
    : `${base}: the secret is wrong (check for rotation) or the body was altered after signing`;
}

/**
 * Verifies `X-Ingo-Signature` over the raw body with any of the configured secrets and schemes, in
 * constant time, then normalizes the event. Throws {@link WebhookVerificationError} with a code that
 * says what is wrong; messages never contain a secret.
 */
export function verifyWebhook(input: VerifyWebhookInput): IngoWebhookEvent {
  const { headers, secrets } = input;
  const rawBody: WebhookBody = input.rawBody instanceof ArrayBuffer ? new Uint8Array(input.rawBody) : input.rawBody;
  assertWebhookSecrets(secrets);
  const secretList: readonly string[] = typeof secrets === 'string' ? [secrets] : secrets;

  const bodyProblem = describeParsedBody(rawBody);
  if (bodyProblem !== undefined) {
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_RAW_BODY_REQUIRED',
      `verifyWebhook needs the raw request body bytes (a Buffer or string, exactly as received), but ${bodyProblem}: the signature covers the exact bytes Ingo sent, which a parsed object no longer has. Keep the raw body (express.raw(), Fastify parseAs: 'buffer')`,
    );
  }

  const schemeInput = input.scheme;
  const schemes: readonly ResolvedScheme[] =
    schemeInput === undefined
      ? [DEFAULT_WEBHOOK_SCHEME]
      : Array.isArray(schemeInput)
        ? (schemeInput as readonly WebhookScheme[]).map(resolveScheme)
        : [resolveScheme(schemeInput as WebhookScheme)];
  if (schemes.length === 0) throw new ConfigurationError('scheme must not be an empty list', 'ERR_WEBHOOK_SCHEME');

  const received = signatureHeader(headers ?? {});
  if (received === undefined) {
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_NO_SIGNATURE',
      'The request has no X-Ingo-Signature header: it was not sent by Ingo (or a proxy dropped the header)',
    );
  }

  if (!matchesAny(rawBody, secretList, schemes, received)) {
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_SIGNATURE_MISMATCH',
      mismatchMessage(decodeBody(rawBody), secretList, schemes, received),
    );
  }
  return normalize(parseJson(decodeBody(rawBody)));
}
