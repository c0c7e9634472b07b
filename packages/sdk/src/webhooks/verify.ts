// The `X-Ingo-Signature` scheme of docs/ingo-contract.md §6 (a notifykit Decision; Ingo publishes none): sign,
// verify, and diagnose a mismatch. Verification is on the hot path of every delivery, so the success
// path does one HMAC per (secret, scheme), one JSON.parse and plain property reads; all diagnosis
// happens only after a failure.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConfigurationError, WebhookVerificationError } from '../errors.js';
import type { IncomingHeaders } from '../signing/verify-request.js';
import type { IngoWebhookEvent } from './event.js';
import { decodeBody, parseWebhookEvent, type WebhookBody } from './normalize.js';

/** The header that carries a webhook's signature (lower case, as Node presents incoming headers). */
export const WEBHOOK_SIGNATURE_HEADER = 'x-ingo-signature';

export type WebhookAlgorithm = 'sha512' | 'sha256';
export type WebhookEncoding = 'base64' | 'hex';

export interface WebhookScheme {
  /** HMAC hash; default `sha512`. */
  algorithm?: WebhookAlgorithm;
  /** Encoding of the header value; default `base64`. */
  encoding?: WebhookEncoding;
}

const DEFAULT_WEBHOOK_SCHEME: Readonly<Required<WebhookScheme>> = Object.freeze({
  algorithm: 'sha512',
  encoding: 'base64',
});

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

// What a framework, a logging middleware or a proxy typically makes of a body between Ingo and the
// verifier: re-serializations of the parsed JSON, and byte-level alterations of the text. A variant
// that verifies is proof of what happened; nothing else is ever called a re-serialization.
const RESERIALIZATIONS: readonly ((value: unknown) => string)[] = [
  (v) => JSON.stringify(v),
  (v) => JSON.stringify(v, null, 2),
  (v) => JSON.stringify(v, null, 4),
  (v) => JSON.stringify(v, null, '\t'),
];
// (The byte-order mark first: String#trim removes it too.)
const ALTERATIONS: readonly [what: string, alter: (text: string) => string][] = [
  ['a byte-order mark was added', (t) => t.replace(/^\uFEFF/, '')],
  ['surrounding whitespace was added', (t) => t.trim()],
  ['a trailing newline was removed', (t) => `${t}\n`],
  ['line endings were changed to CRLF', (t) => t.replace(/\r\n/g, '\n')],
];

const DIAGNOSIS_BODY_LIMIT = 256 * 1024;

/** Why the signature does not match, as far as the body and the header show it. */
function mismatchCause(
  text: string,
  secrets: readonly string[],
  schemes: readonly ResolvedScheme[],
  received: string,
): string {
  // Diagnosis costs several HMACs; an unsigned flood of large bodies must not buy that much work.
  if (text.length <= DIAGNOSIS_BODY_LIMIT) {
    // The smallest change first: a byte-level alteration also survives a parse and re-serialization.
    for (const [what, alter] of ALTERATIONS) {
      const variant = alter(text);
      if (variant !== text && matchesAny(variant, secrets, schemes, received)) {
        return `the body was altered in transit: ${what} (the signature matches the body without that change). Pass the raw request bytes exactly as received`;
      }
    }
    let parsed: unknown;
    let isJson = false;
    try {
      parsed = JSON.parse(text);
      isJson = true;
    } catch {
      // Not JSON: no re-serialization to try.
    }
    if (isJson) {
      for (const serialize of RESERIALIZATIONS) {
        const variant = serialize(parsed);
        if (variant !== text && matchesAny(variant, secrets, schemes, received)) {
          return "the body was re-serialized — the signature matches another serialization of the same JSON. Pass the raw request bytes exactly as received (e.g. a Buffer from express.raw() or Fastify's parseAs: 'buffer'), not JSON.stringify of the parsed body";
        }
      }
    }
  }
  const looksHex = /^[0-9a-fA-F]+$/.test(received);
  const bytes = looksHex ? received.length / 2 : Math.floor((received.replace(/=+$/, '').length * 3) / 4);
  const encodings = new Set(schemes.map((s) => s.encoding));
  const algorithms = new Set(schemes.map((s) => s.algorithm));
  const hints: string[] = [];
  if (looksHex && !encodings.has('hex') && (received.length === 128 || received.length === 64)) {
    hints.push(
      `the header is ${received.length} hex characters, a hex-encoded HMAC, but the configured encoding is base64: configure scheme { encoding: 'hex' }`,
    );
  } else if (!looksHex && encodings.has('hex') && !encodings.has('base64') && (bytes === 64 || bytes === 32)) {
    hints.push(
      "the header looks base64-encoded, but the configured encoding is hex: configure scheme { encoding: 'base64' }",
    );
  }
  if (bytes === 32 && !algorithms.has('sha256')) {
    hints.push("the header is 32 bytes, an HMAC-SHA256 size: configure scheme { algorithm: 'sha256' }");
  } else if (bytes === 64 && !algorithms.has('sha512')) {
    hints.push("the header is 64 bytes, an HMAC-SHA512 size: configure scheme { algorithm: 'sha512' }");
  }
  if (hints.length > 0) return `wrong scheme: ${hints.join('; ')}`;
  return 'wrong secret or wrong scheme — the header has the shape of a configured signature, so most likely the secret is wrong (after a rotation, configure the old and the new secret) or the body was altered after signing';
}

function mismatchMessage(
  text: string,
  secrets: readonly string[],
  schemes: readonly ResolvedScheme[],
  received: string,
): string {
  const configured = schemes.map((s) => `HMAC-${s.algorithm.toUpperCase()} ${s.encoding}`).join(', ');
  return `X-Ingo-Signature does not match the body with any of the ${secrets.length} configured secret(s) (configured scheme: ${configured}): ${mismatchCause(text, secrets, schemes, received)}`;
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
  return parseWebhookEvent(rawBody);
}
