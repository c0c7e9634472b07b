import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingVectorFile as vectorFile } from '../../test/support/signing-vectors.js';
import { signRequest } from './sign-request.js';
import { parseAuthorization, verifyRequestSignature } from './verify-request.js';

describe('signRequest reproduces the shared signing vectors byte for byte', () => {
  for (const v of vectorFile.vectors) {
    it(v.name, () => {
      const signed = signRequest({
        method: v.method,
        path: v.path,
        body: v.body,
        username: v.username,
        secret: v.secret,
        algorithm: v.algorithm,
        date: v.x_date,
        headers: v.headers_list.split(' '),
      });
      expect(signed.headers['Content-sha512']).toBe(v.content_sha512);
      expect(signed.headers['Content-Length']).toBe(v.content_length);
      expect(signed.headers['X-Date']).toBe(v.x_date);
      expect(signed.headers['Content-Type']).toBe('application/json');
      if (v.signing_string) expect(signed.signingString).toBe(v.signing_string);
      expect(parseAuthorization(signed.headers.Authorization!)?.signature).toBe(v.signature);
      if (v.authorization) expect(signed.headers.Authorization).toBe(v.authorization);
      // The verifier accepts exactly what the vector describes.
      const at = Date.parse(v.x_date);
      expect(
        verifyRequestSignature(
          { method: v.method, path: v.path, headers: signed.headers, body: v.body },
          { secrets: (u) => (u === v.username ? v.secret : undefined), now: at },
        ),
      ).toEqual({ username: v.username, algorithm: 'hmac-sha512' });
    });
  }

  it('has vectors with the full signing string and Authorization, so the checks above are not all skipped', () => {
    expect(vectorFile.vectors.length).toBeGreaterThanOrEqual(2);
    expect(vectorFile.vectors.some((v) => v.signing_string !== undefined && v.authorization !== undefined)).toBe(true);
  });

  it('builds the signing string from the headers= list in the given order', () => {
    const order = ['content-length', 'x-date', 'request-line', 'content-sha512', 'content-type'];
    const s = signRequest({
      method: 'post',
      path: '/a?b=1',
      body: '{}',
      username: 'u',
      secret: 's',
      date: 'Fri, 17 Jan 2020 19:59:29 GMT',
      headers: order,
    });
    expect(s.signingString.split('\n').map((l) => l.split(':')[0]!.split(' ')[0])).toEqual([
      'content-length',
      'x-date',
      'POST',
      'content-sha512',
      'content-type',
    ]);
    expect(s.signingString).not.toMatch(/\r|\n$/);
  });

  it('signs hmac-sha256 (legacy) and still carries Content-sha512', () => {
    const s = signRequest({
      method: 'POST',
      path: '/x',
      body: 'b',
      username: 'u',
      secret: 's',
      algorithm: 'hmac-sha256',
    });
    const expected = createHmac('sha256', 's').update(s.signingString).digest('base64');
    expect(s.headers.Authorization).toContain(`algorithm="hmac-sha256"`);
    expect(s.headers.Authorization).toContain(`signature="${expected}"`);
    expect(s.headers['Content-sha512']).toHaveLength(88);
  });

  it('refuses any other algorithm without echoing the secret', () => {
    for (const algorithm of ['hmac-sha1', 'hmac-md5', 'sha512', '']) {
      expect(() =>
        signRequest({
          method: 'POST',
          path: '/x',
          body: '',
          username: 'u',
          secret: 'TOPSECRET',
          algorithm: algorithm as 'hmac-sha512',
        }),
      ).toThrow(
        expect.objectContaining({
          code: 'ERR_UNSUPPORTED_ALGORITHM',
          message: expect.not.stringContaining('TOPSECRET'),
        }),
      );
    }
  });

  it('hashes the exact bytes: a Uint8Array body and its string form sign identically', () => {
    const body = '{"name":"Zoë 💸"}';
    const a = signRequest({
      method: 'POST',
      path: '/x',
      body,
      username: 'u',
      secret: 's',
      date: 'Fri, 17 Jan 2020 19:59:29 GMT',
    });
    const b = signRequest({
      method: 'POST',
      path: '/x',
      body: new TextEncoder().encode(body),
      username: 'u',
      secret: 's',
      date: 'Fri, 17 Jan 2020 19:59:29 GMT',
    });
    expect(a.headers).toEqual(b.headers);
    expect(a.headers['Content-Length']).toBe(String(Buffer.byteLength(body)));
  });
});
