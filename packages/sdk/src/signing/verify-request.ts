// Verifies an incoming gateway request per docs/ingo-contract.md §1.1, as Kong's `hmac-auth` plugin does in front
// of Ingo: the same checks in the same order, and exactly the 401 messages Ingo sends.

import { timingSafeEqual } from 'node:crypto';
import { SIGNATURE_MESSAGES, type SignatureFailureCode, SignatureVerificationError } from '../errors.js';
import {
  type Body,
  buildSigningString,
  contentSha512,
  hmacBase64,
  REQUIRED_SIGNED_HEADERS,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  toBytes,
} from './signing-string.js';

const DEFAULT_CLOCK_SKEW_SECONDS = 300;

export type IncomingHeaders =
  | Headers
  | Record<string, string | readonly string[] | undefined>
  | ReadonlyMap<string, string>;

export interface IncomingRequest {
  method: string;
  /** The raw request target as received (`req.url` in Node): path, percent-encoding and query intact. */
  path: string;
  headers: IncomingHeaders;
  /** The exact body bytes received. */
  body: Body;
  /** `req.httpVersion`; defaults to `1.1`. */
  httpVersion?: string;
}

export interface VerifyOptions {
  /** Returns the secret for a username, or undefined when the user is unknown. */
  secrets: (username: string) => string | undefined;
  /** Clock for the skew check; defaults to `Date.now()`. */
  now?: Date | number;
  /** How far X-Date may be from the clock, either way; default 300 s. */
  clockSkewSeconds?: number;
  /** Names that must be in `headers=`; defaults to {@link REQUIRED_SIGNED_HEADERS}. */
  requiredHeaders?: readonly string[];
  /** Algorithms accepted; defaults to both. */
  algorithms?: readonly SigningAlgorithm[];
}

export interface VerifiedSignature {
  username: string;
  algorithm: SigningAlgorithm;
}

/** Returns a lower-case-name lookup over any header container. */
function headerLookup(headers: IncomingHeaders): (lowerName: string) => string | undefined {
  if (typeof (headers as Headers).get === 'function' && !(headers instanceof Map)) {
    const h = headers as Headers;
    return (n) => h.get(n) ?? undefined;
  }
  const map = new Map<string, string>();
  const entries = headers instanceof Map ? headers.entries() : Object.entries(headers as Record<string, unknown>);
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    map.set(String(k).toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v));
  }
  return (n) => map.get(n);
}

// Kong parses `hmac username="…", algorithm="…", headers="…", signature="…"` in this fixed order; the
// scheme's first letter may be either case (Kong accepts "hmac" and "Hmac").
const AUTHORIZATION_PATTERN =
  /^[hH]mac username="([^"]+)",\s*algorithm="([^"]+)",\s*headers="([^"]+)",\s*signature="([^"]+)"$/;

export interface ParsedAuthorization {
  username: string;
  algorithm: string;
  headers: string[];
  signature: string;
}

export function parseAuthorization(value: string): ParsedAuthorization | undefined {
  const m = AUTHORIZATION_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const headers = m[3]!
    .trim()
    .split(/\s+/)
    .map((h) => h.toLowerCase());
  return { username: m[1]!, algorithm: m[2]!, headers, signature: m[4]! };
}

const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses an IMF-fixdate (`Fri, 17 Jan 2020 19:59:29 GMT`); anything else is undefined. */
function parseImfFixdate(value: string): number | undefined {
  if (!IMF_FIXDATE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Why a date is outside the window, or undefined when it is within. X-Date has whole seconds, so the
 * clock is read in whole seconds too (as Kong's ngx.time() is): a date exactly 300 s old passes for the
 * whole of that second, not only at its first millisecond.
 */
function skewProblem(name: string, dateMs: number, nowMs: number, skew: number): string | undefined {
  const offsetSeconds = dateMs / 1000 - Math.floor(nowMs / 1000);
  if (Math.abs(offsetSeconds) <= skew) return undefined;
  return `${name} is ${offsetSeconds} s from the server clock (allowed ±${skew} s)`;
}

function constantTimeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  // Compare against itself on a length mismatch so the time taken does not depend on where they differ.
  if (ab.byteLength !== bb.byteLength) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}

function fail(code: SignatureFailureCode, detail: string): never {
  const message =
    code === 'ERR_SIGNATURE_MISSING'
      ? SIGNATURE_MESSAGES.missing
      : code === 'ERR_SIGNATURE_DATE'
        ? SIGNATURE_MESSAGES.date
        : code === 'ERR_SIGNATURE_MISMATCH' ||
            code === 'ERR_SIGNATURE_DIGEST_MISMATCH' ||
            code === 'ERR_SIGNATURE_CONTENT_LENGTH'
          ? SIGNATURE_MESSAGES.mismatch
          : SIGNATURE_MESSAGES.unverifiable;
  throw new SignatureVerificationError(code, message, detail);
}

function describeDigest(received: string): string {
  if (received.length === 44) {
    return "Content-sha512 is 44 characters: a SHA-256-sized digest (Ingo's own published example makes this mistake); send base64 of the raw 64-byte SHA-512 of the body, 88 characters";
  }
  if (/^[0-9a-f]{128}$/i.test(received)) {
    return 'Content-sha512 is hex-encoded; send base64 of the raw 64-byte SHA-512 of the body, 88 characters';
  }
  if (received.length === 172) {
    return 'Content-sha512 looks like base64 of the hex digest; send base64 of the raw 64-byte SHA-512, 88 characters';
  }
  return 'Content-sha512 does not match the SHA-512 of the body received (was the body changed after signing?)';
}

/**
 * Verifies an incoming gateway request per docs/ingo-contract.md §1.1. Throws {@link SignatureVerificationError}
 * whose `message` is the exact 401 message and whose `code`/`detail` say what failed.
 */
export function verifyRequestSignature(request: IncomingRequest, options: VerifyOptions): VerifiedSignature {
  const get = headerLookup(request.headers);
  const authorization = get('authorization');
  if (authorization === undefined || authorization.trim() === '')
    fail('ERR_SIGNATURE_MISSING', 'no Authorization header');

  const parsed = parseAuthorization(authorization);
  if (!parsed) {
    fail(
      'ERR_SIGNATURE_MALFORMED',
      'Authorization is not hmac username="…", algorithm="…", headers="…", signature="…"',
    );
  }
  const secret = options.secrets(parsed.username);
  if (secret === undefined) fail('ERR_SIGNATURE_UNKNOWN_USER', 'unknown username');
  const allowed = options.algorithms ?? SIGNING_ALGORITHMS;
  if (!allowed.includes(parsed.algorithm as SigningAlgorithm)) {
    fail('ERR_SIGNATURE_ALGORITHM', `algorithm ${parsed.algorithm} is not allowed (use hmac-sha512)`);
  }
  const algorithm = parsed.algorithm as SigningAlgorithm;

  // Date first among the header checks, as Kong does: a missing or stale date gets the date message.
  // An absent or malformed X-Date falls back to Date, as in Kong (the signature still covers the
  // headers as sent). A well-formed X-Date outside the window is refused even with a fresh Date —
  // stricter than Kong, which also falls back then: a stale, well-formed X-Date is a replay's mark.
  const nowMs =
    options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime();
  const skew = options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const xDate = get('x-date');
  const xDateMs = xDate === undefined ? undefined : parseImfFixdate(xDate);
  if (xDateMs !== undefined) {
    const stale = skewProblem('X-Date', xDateMs, nowMs, skew);
    if (stale !== undefined) fail('ERR_SIGNATURE_DATE', stale);
  } else {
    const xDateProblem = xDate === undefined ? 'no X-Date header' : 'X-Date is not an IMF-fixdate';
    const date = get('date');
    const dateMs = date === undefined ? undefined : parseImfFixdate(date);
    if (dateMs === undefined) {
      fail(
        'ERR_SIGNATURE_DATE',
        `${xDateProblem}; ${date === undefined ? 'no Date header' : 'Date is not an IMF-fixdate'} to fall back on`,
      );
    }
    const stale = skewProblem('Date', dateMs, nowMs, skew);
    if (stale !== undefined) fail('ERR_SIGNATURE_DATE', `${xDateProblem}; ${stale}`);
  }

  for (const required of options.requiredHeaders ?? REQUIRED_SIGNED_HEADERS) {
    if (!parsed.headers.includes(required)) fail('ERR_SIGNATURE_HEADER_NOT_SIGNED', `${required} is not in headers=`);
  }
  for (const name of parsed.headers) {
    if (name !== 'request-line' && get(name) === undefined)
      fail('ERR_SIGNATURE_HEADER_MISSING', `${name} is listed in headers= but absent`);
  }

  const requestLine = `${request.method.toUpperCase()} ${request.path} HTTP/${request.httpVersion ?? '1.1'}`;
  const signingString = buildSigningString(parsed.headers, requestLine, get);
  const expected = hmacBase64(algorithm, secret, signingString);
  if (!constantTimeEqual(expected, parsed.signature)) {
    fail('ERR_SIGNATURE_MISMATCH', 'signature does not match the signing string rebuilt from the request');
  }

  const bytes = toBytes(request.body);
  const receivedDigest = get('content-sha512');
  if (receivedDigest === undefined || !constantTimeEqual(contentSha512(bytes), receivedDigest)) {
    fail(
      'ERR_SIGNATURE_DIGEST_MISMATCH',
      receivedDigest === undefined ? 'no Content-sha512 header' : describeDigest(receivedDigest),
    );
  }
  const contentLength = get('content-length');
  if (contentLength !== undefined && contentLength.trim() !== String(bytes.byteLength)) {
    fail(
      'ERR_SIGNATURE_CONTENT_LENGTH',
      `Content-Length is ${contentLength} but the body is ${bytes.byteLength} bytes`,
    );
  }
  return { username: parsed.username, algorithm };
}
