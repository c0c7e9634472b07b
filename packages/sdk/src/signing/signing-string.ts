// What the signer and the verifier of docs/ingo-contract.md §1 share: the algorithms, the `headers=` lists, the
// body digest and the one signing-string builder, so the two sides can never disagree about a byte.

import { createHash, createHmac } from 'node:crypto';

export type SigningAlgorithm = 'hmac-sha512' | 'hmac-sha256';
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = ['hmac-sha512', 'hmac-sha256'];

/** The `headers=` list notifykit signs, in Ingo's documented order. */
export const DEFAULT_SIGNED_HEADERS = [
  'request-line',
  'x-date',
  'content-type',
  'content-sha512',
  'content-length',
] as const;

/** Headers that must appear in `headers=` for a request to be accepted (a Decision of docs/ingo-contract.md §1.1). */
export const REQUIRED_SIGNED_HEADERS = ['request-line', 'x-date', 'content-sha512', 'content-length'] as const;

/** A request body: the exact bytes sent, or a string sent as UTF-8. */
export type Body = string | Uint8Array;

export const toBytes = (body: Body): Buffer =>
  typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);

/** base64 of the raw 64-byte SHA-512 of the body: 88 characters. */
export function contentSha512(body: Body): string {
  return createHash('sha512').update(toBytes(body)).digest('base64');
}

const nodeHash = (algorithm: SigningAlgorithm) => (algorithm === 'hmac-sha512' ? 'sha512' : 'sha256');

export function hmacBase64(algorithm: SigningAlgorithm, secret: string, signingString: string): string {
  return createHmac(nodeHash(algorithm), secret).update(signingString, 'utf8').digest('base64');
}

/**
 * Builds the signing string: one line per name of the `headers=` list, in the listed order, joined by
 * LF with no trailing newline. `lookup` returns a header's value by lower-case name.
 */
export function buildSigningString(
  headerNames: readonly string[],
  requestLine: string,
  lookup: (lowerName: string) => string | undefined,
): string {
  const lines: string[] = [];
  for (const name of headerNames) {
    const lower = name.toLowerCase();
    if (lower === 'request-line') {
      lines.push(requestLine);
      continue;
    }
    const value = lookup(lower);
    if (value === undefined) throw new Error(`header ${lower} is listed but absent`);
    lines.push(`${lower}: ${value}`);
  }
  return lines.join('\n');
}
