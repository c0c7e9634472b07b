import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_MESSAGES, SignatureVerificationError } from '../errors.js';
import { signRequest } from './sign-request.js';
import { DEFAULT_SIGNED_HEADERS } from './signing-string.js';
import {
  type IncomingRequest,
  parseAuthorization,
  type VerifyOptions,
  verifyRequestSignature,
} from './verify-request.js';

// --- verifier, case by case ------------------------------------------------------------------------

const NOW = Date.parse('Thu, 26 Nov 2026 12:00:00 GMT');
const DATE = new Date(NOW).toUTCString();
const BODY = '{"participant_id":12345,"amount":"250.00","participant_unique_id1":"pay-0001"}';
const SECRET = 'sandbox-secret-value';
const options: VerifyOptions = { secrets: (u) => (u === 'acme' ? SECRET : undefined), now: NOW };

/** The signing input every request of this file starts from. */
const SIGNING_INPUT = {
  method: 'POST',
  path: '/gateway/v3/notify',
  body: BODY,
  username: 'acme',
  secret: SECRET,
  date: DATE,
} as const;

function signed(over: Partial<Parameters<typeof signRequest>[0]> = {}) {
  const s = signRequest({ ...SIGNING_INPUT, ...over });
  return {
    method: 'POST',
    path: over.path ?? '/gateway/v3/notify',
    headers: { ...s.headers },
    body: over.body ?? BODY,
  } as {
    method: string;
    path: string;
    headers: Record<string, string | undefined>;
    body: string | Uint8Array;
    httpVersion?: string;
  };
}

function failure(req: IncomingRequest, opts: VerifyOptions = options): SignatureVerificationError {
  try {
    verifyRequestSignature(req, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(SignatureVerificationError);
    const err = e as SignatureVerificationError;
    expect(err.httpStatus).toBe(401);
    expect(err.message).not.toContain(SECRET);
    expect(err.detail).not.toContain(SECRET);
    return err;
  }
  throw new Error('expected verification to fail');
}

const withAuthorization = (req: ReturnType<typeof signed>, f: (a: string) => string) => {
  req.headers.Authorization = f(req.headers.Authorization!);
  return req;
};

describe('verifyRequestSignature (docs/ingo-contract.md §1.1)', () => {
  it('accepts a correctly signed request and reports the user and algorithm', () => {
    expect(verifyRequestSignature(signed(), options)).toEqual({ username: 'acme', algorithm: 'hmac-sha512' });
    expect(verifyRequestSignature(signed({ algorithm: 'hmac-sha256' }), options).algorithm).toBe('hmac-sha256');
  });

  it('reads headers case-insensitively from a plain object, a Headers instance or a Map', () => {
    const req = signed();
    const lower = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyRequestSignature({ ...req, headers: lower }, options).username).toBe('acme');
    expect(
      verifyRequestSignature({ ...req, headers: new Headers(lower as Record<string, string>) }, options).username,
    ).toBe('acme');
    expect(
      verifyRequestSignature({ ...req, headers: new Map(Object.entries(lower as Record<string, string>)) }, options)
        .username,
    ).toBe('acme');
  });

  it('missing Authorization → Unauthorized', () => {
    const req = signed();
    delete req.headers.Authorization;
    const err = failure(req);
    expect(err.code).toBe('ERR_SIGNATURE_MISSING');
    expect(err.message).toBe(SIGNATURE_MESSAGES.missing);
  });

  it.each([
    ['another scheme', (a: string) => a.replace(/^hmac/, 'Signature')],
    [
      'parameters out of order',
      (a: string) => a.replace(/username="acme", algorithm="hmac-sha512"/, 'algorithm="hmac-sha512", username="acme"'),
    ],
    ['unquoted value', (a: string) => a.replace('username="acme"', 'username=acme')],
    ['missing signature', (a: string) => a.replace(/, signature=".*"$/, '')],
    ['garbage', () => 'hmac nonsense'],
  ])('malformed Authorization (%s) → cannot be verified', (_name, mutate) => {
    const err = failure(withAuthorization(signed(), mutate));
    expect(err.code).toBe('ERR_SIGNATURE_MALFORMED');
    expect(err.message).toBe(SIGNATURE_MESSAGES.unverifiable);
  });

  it('accepts the scheme with a capital first letter, as Kong does', () => {
    expect(
      verifyRequestSignature(
        withAuthorization(signed(), (a) => a.replace(/^hmac/, 'Hmac')),
        options,
      ).username,
    ).toBe('acme');
  });

  it('unknown username → cannot be verified', () => {
    const err = failure(signed({ username: 'mallory' }));
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_UNKNOWN_USER', SIGNATURE_MESSAGES.unverifiable]);
  });

  it.each(['hmac-sha1', 'hmac-md5', 'hmac-sha384'])('disallowed algorithm %s → cannot be verified', (alg) => {
    const err = failure(withAuthorization(signed(), (a) => a.replace('hmac-sha512', alg)));
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_ALGORITHM', SIGNATURE_MESSAGES.unverifiable]);
  });

  it('an algorithm excluded by options is refused', () => {
    const err = failure(signed({ algorithm: 'hmac-sha256' }), { ...options, algorithms: ['hmac-sha512'] });
    expect(err.code).toBe('ERR_SIGNATURE_ALGORITHM');
  });

  it.each(['request-line', 'x-date', 'content-sha512', 'content-length'])(
    'required header %s not signed → cannot be verified',
    (name) => {
      const err = failure(signed({ headers: DEFAULT_SIGNED_HEADERS.filter((h) => h !== name) }));
      expect(err.message).toBe(SIGNATURE_MESSAGES.unverifiable);
      expect(err.code).toBe('ERR_SIGNATURE_HEADER_NOT_SIGNED');
    },
  );

  it('content-type may be left out of headers= (it is not required)', () => {
    expect(
      verifyRequestSignature(signed({ headers: DEFAULT_SIGNED_HEADERS.filter((h) => h !== 'content-type') }), options)
        .username,
    ).toBe('acme');
  });

  it('a listed header that is absent → cannot be verified', () => {
    const req = signed();
    delete req.headers['Content-Type'];
    const err = failure(req);
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_HEADER_MISSING', SIGNATURE_MESSAGES.unverifiable]);
  });

  it('missing X-Date → the date message', () => {
    const req = signed();
    delete req.headers['X-Date'];
    const err = failure(req);
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_DATE', SIGNATURE_MESSAGES.date]);
  });

  it('unparseable X-Date → the date message', () => {
    const req = signed({ date: '2026-11-26T12:00:00Z' });
    expect(failure(req).message).toBe(SIGNATURE_MESSAGES.date);
  });

  it.each([
    ['stale by 301 s', -301],
    ['future by 301 s', 301],
    ['stale by a day', -86_400],
  ])('%s → the date message', (_n, offset) => {
    const err = failure(signed({ date: new Date(NOW + offset * 1000) }));
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_DATE', SIGNATURE_MESSAGES.date]);
  });

  it.each([-300, 300, 0, -299, 299])('a date exactly %i s away passes (the ±300 s boundary is inclusive)', (offset) => {
    expect(verifyRequestSignature(signed({ date: new Date(NOW + offset * 1000) }), options).username).toBe('acme');
  });

  it('reads the server clock in whole seconds, as X-Date has no milliseconds', () => {
    const req = signed({ date: new Date(NOW) });
    expect(verifyRequestSignature(req, { ...options, now: NOW + 300_999 }).username).toBe('acme');
    expect(failure(req, { ...options, now: NOW + 301_000 }).code).toBe('ERR_SIGNATURE_DATE');
    const future = signed({ date: new Date(NOW + 300_000) });
    expect(verifyRequestSignature(future, { ...options, now: NOW + 999 }).username).toBe('acme');
    expect(failure(future, { ...options, now: NOW - 1 }).code).toBe('ERR_SIGNATURE_DATE');
  });

  it('clockSkewSeconds is configurable', () => {
    const req = signed({ date: new Date(NOW - 60_000) });
    expect(failure(req, { ...options, clockSkewSeconds: 30 }).code).toBe('ERR_SIGNATURE_DATE');
  });

  it('falls back to Date when X-Date is absent, but not when a well-formed X-Date is stale', () => {
    // The client signs `date` instead of `x-date`; the server's required list is adjusted accordingly.
    const opts = { ...options, requiredHeaders: ['request-line', 'date', 'content-sha512', 'content-length'] };
    const s = signRequest({ method: 'POST', path: '/p', body: BODY, username: 'acme', secret: SECRET, date: DATE });
    const signingString = [
      'POST /p HTTP/1.1',
      `date: ${DATE}`,
      `content-sha512: ${s.headers['Content-sha512']}`,
      `content-length: ${s.headers['Content-Length']}`,
    ].join('\n');
    const signature = createHmac('sha512', SECRET).update(signingString).digest('base64');
    const headers: Record<string, string> = {
      Date: DATE,
      'Content-sha512': s.headers['Content-sha512']!,
      'Content-Length': s.headers['Content-Length']!,
      Authorization: `hmac username="acme", algorithm="hmac-sha512", headers="request-line date content-sha512 content-length", signature="${signature}"`,
    };
    expect(verifyRequestSignature({ method: 'POST', path: '/p', headers, body: BODY }, opts).username).toBe('acme');
    // With a stale X-Date present, a fresh Date does not rescue the request.
    const stale = { ...headers, 'X-Date': new Date(NOW - 3_600_000).toUTCString() };
    expect(failure({ method: 'POST', path: '/p', headers: stale, body: BODY }, opts).code).toBe('ERR_SIGNATURE_DATE');
  });

  it('a malformed X-Date falls back to Date, as Kong does (the signature still covers X-Date as sent)', () => {
    for (const malformed of ['2026-11-26T12:00:00Z', 'Thursday, 26-Nov-26 12:00:00 GMT', 'yesterday']) {
      const req = signed({ date: malformed });
      expect(failure(req).code).toBe('ERR_SIGNATURE_DATE'); // no Date to fall back on
      req.headers.Date = new Date(NOW - 120_000).toUTCString();
      expect(verifyRequestSignature(req, options).username).toBe('acme');
      // The fallback is held to the same window and format.
      req.headers.Date = new Date(NOW - 301_000).toUTCString();
      const stale = failure(req);
      expect([stale.code, stale.message]).toEqual(['ERR_SIGNATURE_DATE', SIGNATURE_MESSAGES.date]);
      expect(stale.detail).toMatch(/X-Date is not an IMF-fixdate; Date is -301 s from the server clock/);
      req.headers.Date = 'not a date either';
      expect(failure(req).detail).toMatch(/Date is not an IMF-fixdate to fall back on/);
    }
  });

  it('signature mismatch (wrong secret) → does not match', () => {
    const err = failure(signed({ secret: 'another-secret' }));
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_MISMATCH', SIGNATURE_MESSAGES.mismatch]);
  });

  it('a hex-encoded signature is refused', () => {
    const req = signed();
    const b64 = parseAuthorization(req.headers.Authorization!)!.signature;
    const hex = Buffer.from(b64, 'base64').toString('hex');
    expect(failure(withAuthorization(req, (a) => a.replace(b64, hex))).code).toBe('ERR_SIGNATURE_MISMATCH');
    // …and so is base64 of the hex HMAC (the 172-character mistake).
    const b64hex = Buffer.from(hex, 'utf8').toString('base64');
    expect(b64hex).toHaveLength(172);
    expect(failure(withAuthorization(signed(), (a) => a.replace(b64, b64hex))).code).toBe('ERR_SIGNATURE_MISMATCH');
  });

  function withDigest(digest: string) {
    // Re-sign over the wrong digest so only the digest check can catch it.
    const s = signRequest(SIGNING_INPUT);
    const signingString = s.signingString.replace(s.headers['Content-sha512']!, digest);
    const signature = createHmac('sha512', SECRET).update(signingString).digest('base64');
    const headers: Record<string, string> = { ...s.headers, 'Content-sha512': digest };
    headers.Authorization = headers.Authorization!.replace(/signature="[^"]+"/, `signature="${signature}"`);
    return { method: 'POST', path: '/gateway/v3/notify', headers, body: BODY };
  }

  it('a hex body digest is refused with a precise detail', () => {
    const err = failure(withDigest(createHash('sha512').update(BODY).digest('hex')));
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_DIGEST_MISMATCH', SIGNATURE_MESSAGES.mismatch]);
    expect(err.detail).toMatch(/hex/);
  });

  it('base64 of the hex body digest is refused', () => {
    const digest = Buffer.from(createHash('sha512').update(BODY).digest('hex')).toString('base64');
    expect(failure(withDigest(digest)).code).toBe('ERR_SIGNATURE_DIGEST_MISMATCH');
  });

  it("a 44-character digest (SHA-256 size, as in Ingo's published example) is refused and named", () => {
    const err = failure(withDigest('HpXfYk7qDatRNVlGHQOv3ELyAVd+JCdUcpHB5PMnu08='));
    expect(err.code).toBe('ERR_SIGNATURE_DIGEST_MISMATCH');
    expect(err.detail).toMatch(/44 characters/);
    expect(err.detail).toMatch(/88 characters/);
  });

  it('a body tampered with after signing → does not match', () => {
    const req = signed();
    req.body = BODY.replace('250.00', '950.00');
    const err = failure(req);
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_DIGEST_MISMATCH', SIGNATURE_MESSAGES.mismatch]);
  });

  it('Content-Length that does not match the body → does not match', () => {
    // A signed Content-Length of the wrong size over the right digest.
    const s = signRequest({ method: 'POST', path: '/x', body: BODY, username: 'acme', secret: SECRET, date: DATE });
    const wrong = String(Buffer.byteLength(BODY) + 1);
    const signingString = s.signingString.replace(/content-length: \d+$/, `content-length: ${wrong}`);
    const signature = createHmac('sha512', SECRET).update(signingString).digest('base64');
    const headers: Record<string, string> = { ...s.headers, 'Content-Length': wrong };
    headers.Authorization = headers.Authorization!.replace(/signature="[^"]+"/, `signature="${signature}"`);
    const err = failure({ method: 'POST', path: '/x', headers, body: BODY });
    expect([err.code, err.message]).toEqual(['ERR_SIGNATURE_CONTENT_LENGTH', SIGNATURE_MESSAGES.mismatch]);
  });

  it('the query string is part of the request line', () => {
    const req = signed({ path: '/gateway/v3/notify?debug=1' });
    expect(verifyRequestSignature(req, options).username).toBe('acme');
    expect(failure({ ...req, path: '/gateway/v3/notify' }).code).toBe('ERR_SIGNATURE_MISMATCH');
    expect(failure({ ...req, path: '/gateway/v3/notify?debug=2' }).code).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('the path is signed as sent, percent-encoding included (never decoded)', () => {
    const req = signed({ path: '/_sandbox/notifications/a%20b/actions' });
    expect(verifyRequestSignature(req, options).username).toBe('acme');
    expect(failure({ ...req, path: '/_sandbox/notifications/a b/actions' }).code).toBe('ERR_SIGNATURE_MISMATCH');
    expect(failure({ ...req, path: '/_sandbox/notifications/a%2520b/actions' }).code).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('HTTP/1.0: the request line carries the version the server received', () => {
    const req10 = { ...signed({ httpVersion: '1.0' }), httpVersion: '1.0' };
    expect(verifyRequestSignature(req10, options).username).toBe('acme');
    // A client that signed 1.1 but whose request arrived as 1.0 does not verify.
    expect(failure({ ...signed(), httpVersion: '1.0' }).code).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('the method is compared upper-case', () => {
    const req = signed({ method: 'post' });
    expect(verifyRequestSignature({ ...req, method: 'POST' }, options).username).toBe('acme');
    expect(failure({ ...req, method: 'PUT' }).code).toBe('ERR_SIGNATURE_MISMATCH');
  });
});

// --- property tests ------------------------------------------------------------------------------

const pathArb = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._~%-]{1,12}$/), { minLength: 1, maxLength: 4 })
  .chain((segments) =>
    fc
      .option(fc.stringMatching(/^[a-z0-9=&]{1,16}$/), { nil: undefined })
      .map((q) => `/${segments.join('/')}${q ? `?${q}` : ''}`),
  );
const orderArb = fc.shuffledSubarray([...DEFAULT_SIGNED_HEADERS], { minLength: 5, maxLength: 5 });

describe('sign → verify properties', () => {
  it('any body, path and header order verifies', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2048 }),
        pathArb,
        orderArb,
        fc.constantFrom('hmac-sha512', 'hmac-sha256'),
        (body, path, order, alg) => {
          const v = verifyRequestSignature(
            signed({ path, body, headers: order, algorithm: alg as 'hmac-sha512' }),
            options,
          );
          expect(v.algorithm).toBe(alg);
        },
      ),
      { numRuns: 300 },
    );
  });

  const flipByte = (bytes: Uint8Array, index: number, delta: number): Uint8Array => {
    const copy = Uint8Array.from(bytes);
    const i = index % copy.length;
    copy[i] = (copy[i]! + delta) % 256;
    return copy;
  };

  it('any single-byte change to the body, path, date or signature fails', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 1024 }),
        pathArb,
        orderArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('body', 'path', 'date', 'signature'),
        (body, path, order, index, delta, target) => {
          const req: IncomingRequest = signed({ path, body, headers: order });
          const headers = req.headers as Record<string, string>;
          if (target === 'body') req.body = flipByte(body, index, delta);
          if (target === 'path') {
            const bytes = flipByte(Buffer.from(path, 'latin1'), index, delta);
            req.path = Buffer.from(bytes).toString('latin1');
          }
          if (target === 'date') {
            // Stay within the skew window and the IMF-fixdate shape so that only the signature can catch it.
            headers['X-Date'] = new Date(NOW + (1 + (index % 200)) * 1000 * (delta % 2 ? 1 : -1)).toUTCString();
          }
          if (target === 'signature') {
            const sig = parseAuthorization(headers.Authorization!)!.signature;
            const changed = Buffer.from(flipByte(Buffer.from(sig, 'latin1'), index, delta)).toString('latin1');
            headers.Authorization = headers.Authorization!.replace(sig, changed);
          }
          expect(() => verifyRequestSignature(req, options)).toThrow(SignatureVerificationError);
        },
      ),
      { numRuns: 400 },
    );
  });
});
