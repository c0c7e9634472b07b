import { Writable } from 'node:stream';
import fc from 'fast-check';
import { expect } from 'vitest';
import { stageBody } from '../../support/stage-body.js';
import { knob, SEED } from './knobs.js';

// What the fuzz scenarios generate. Strings include NULs, lone surrogates and control characters
// (fast-check's `binary` unit is any code point), and NUL is also planted on purpose, since PostgreSQL
// refuses it where SQLite stores it.

export const FUZZ_RUNS = knob('FUZZ_RUNS', 3000);

/** fast-check options: seeded (reproducible; a failure prints its seed and path), FUZZ_RUNS cases. */
export const fuzzOptions = (salt: number) => ({ seed: SEED + salt, numRuns: FUZZ_RUNS, endOnFailure: true });

const nul = fc.constantFrom('\u0000', 'a\u0000', '\u0000\u0000b', '%00');
/** Any text, NULs often. */
export const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), nul, fc.string({ maxLength: 8 }));
/** Anything JSON can hold, text fields included. */
export const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), text);

/** A well-formed stage body with one field (top-level, recipient, authentication record) replaced. */
export const stageBodies = fc.oneof(
  anyJson,
  fc
    .tuple(
      fc.constantFrom(
        'amount',
        'recipient',
        'authentication_records',
        'participant_unique_id1',
        'participant_unique_id2',
        'tracer_id',
        'participant_id',
        'language',
      ),
      anyJson,
    )
    .map(([key, value]) => ({ ...stageBody(), [key]: value })),
  fc
    .tuple(fc.constantFrom('first_name', 'last_name', 'email', 'mobile', 'address1', 'city', 'state', 'zip'), anyJson)
    .map(([key, value]) => {
      const body = stageBody();
      return { ...body, recipient: { ...body.recipient, [key]: value } };
    }),
  fc.tuple(fc.constantFrom('client_provided_value', 'field_label', 'validation_type'), anyJson).map(([key, value]) => {
    const body = stageBody();
    return { ...body, authentication_records: [{ ...body.authentication_records[0], [key]: value }] };
  }),
);

/** Percent-encodes any text; a lone surrogate (which has no UTF-8 form) becomes U+FFFD first. */
export const percentEncode = (value: string) => encodeURIComponent(value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));

/** A query string over `keys` (and unknown ones), values percent-encoded or raw. */
export function queryStrings(keys: string[]) {
  return fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...keys), text), text, fc.boolean()), { maxLength: 4 })
    .map((pairs) =>
      pairs
        .map(([k, v, raw]) =>
          raw
            ? `${percentEncode(k)}=${v.replace(/[^\x21-\x7e]/gu, (c) => percentEncode(c))}`
            : `${percentEncode(k)}=${percentEncode(v)}`,
        )
        .join('&'),
    );
}

/** Content types a client might send, right or wrong. */
export const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json, text/plain',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    '',
    'application/json; charset=latin1',
    'APPLICATION/JSON',
  ),
  fc.string({ maxLength: 30 }),
);

/**
 * A refusal is a specific 4xx with a JSON error (`{error: {code, message}}`, or the sandbox's Ingo
 * envelopes `{message}` / `{status, client_message}`), never a 5xx.
 */
export function expectSpecificAnswer(status: number, body: string, what: string): boolean {
  expect(status, `${what}: ${body.slice(0, 300)}`).toBeLessThan(500);
  if (status < 400) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new Error(`${what}: ${status} without a JSON body: ${body.slice(0, 200)}`);
  }
  const p = parsed as { error?: { code?: unknown; message?: unknown }; message?: unknown; client_message?: unknown };
  const specific =
    (typeof p.error?.code === 'string' &&
      /^[a-z][a-z0-9_]*$/.test(p.error.code) &&
      typeof p.error.message === 'string') ||
    (typeof p.message === 'string' && p.message.length > 0) ||
    (typeof p.client_message === 'string' && p.client_message.length > 0);
  expect(specific, `${what}: ${status} ${body.slice(0, 300)}`).toBe(true);
  return true;
}

/** Trace logs are written somewhere real (serialized, redacted) but not kept: there are far too many. */
export function countingLog() {
  const state = { lines: 0 };
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      state.lines += String(chunk).split('\n').length - 1;
      callback();
    },
  });
  return { state, stream };
}
