import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { failure, SECRET } from '../../test/support/signed-webhooks.js';
import { fixture } from '../../test/support/webhook-fixtures.js';
import { ConfigurationError } from '../errors.js';
import { assertWebhookSecrets, signWebhook, verifyWebhook } from './verify.js';

describe('signWebhook', () => {
  const text = fixture('transaction.recipient.payment.status.success.json');

  it('defaults to base64 HMAC-SHA512 over the raw bytes', () => {
    const expected = createHmac('sha512', SECRET).update(Buffer.from(text, 'utf8')).digest('base64');
    expect(signWebhook(text, SECRET)).toBe(expected);
    expect(signWebhook(Buffer.from(text), SECRET)).toBe(expected);
    expect(expected).toHaveLength(88);
  });

  it('supports sha256 and hex', () => {
    expect(signWebhook(text, SECRET, { algorithm: 'sha256' })).toBe(
      createHmac('sha256', SECRET).update(text).digest('base64'),
    );
    expect(signWebhook(text, SECRET, { algorithm: 'sha256', encoding: 'hex' })).toBe(
      createHmac('sha256', SECRET).update(text).digest('hex'),
    );
    expect(signWebhook(text, SECRET, { encoding: 'hex' })).toMatch(/^[0-9a-f]{128}$/);
  });

  it('signs only the bytes of a Uint8Array view, not its whole buffer', () => {
    const whole = Buffer.from(`xxxx${text}yyyy`);
    const view = whole.subarray(4, whole.length - 4);
    expect(signWebhook(view, SECRET)).toBe(signWebhook(text, SECRET));
  });

  it('refuses unknown schemes, empty and padded secrets', () => {
    expect(() => signWebhook(text, SECRET, { algorithm: 'md5' as 'sha512' })).toThrow(ConfigurationError);
    expect(() => signWebhook(text, SECRET, { encoding: 'latin1' as 'hex' })).toThrow(ConfigurationError);
    expect(() => signWebhook(text, '')).toThrow(ConfigurationError);
    const padded = (() => {
      try {
        signWebhook(text, `${SECRET}\n`);
      } catch (e) {
        return e as ConfigurationError;
      }
      return undefined;
    })();
    expect(padded?.code).toBe('ERR_WEBHOOK_SECRET_WHITESPACE');
    expect(padded?.message).not.toContain(SECRET);
    expect(() => signWebhook({ a: 1 } as unknown as string, SECRET)).toThrow(/not a parsed object/);
  });
});

describe('verifyWebhook signature checks', () => {
  const text = fixture('transaction.recipient.payment.status.success.json');
  const bytes = Buffer.from(text, 'utf8');

  it('accepts the header under any name case and in any header container', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const headers of [
      { 'X-Ingo-Signature': sig },
      { 'x-ingo-signature': [sig] },
      new Headers({ 'X-Ingo-Signature': sig }),
      new Map([['X-Ingo-Signature', sig]]),
      new Map([['x-ingo-signature', sig]]),
      { 'x-ingo-signature': `  ${sig} ` },
    ]) {
      expect(verifyWebhook({ rawBody: bytes, headers, secrets: SECRET }).kind).toBe('payment');
    }
  });

  it('accepts the body as an ArrayBuffer or a Uint8Array view', () => {
    const sig = signWebhook(bytes, SECRET);
    const arrayBuffer = new Uint8Array(bytes).buffer;
    expect(verifyWebhook({ rawBody: arrayBuffer, headers: { 'x-ingo-signature': sig }, secrets: SECRET }).kind).toBe(
      'payment',
    );
    const padded = Buffer.concat([Buffer.from('junk'), bytes, Buffer.from('junk')]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 4, bytes.byteLength);
    expect(verifyWebhook({ rawBody: view, headers: { 'x-ingo-signature': sig }, secrets: SECRET }).kind).toBe(
      'payment',
    );
  });

  it('accepts the old and the new secret during a rotation', () => {
    const oldSecret = 'whsec_old_0123456789';
    const newSecret = 'whsec_new_9876543210';
    for (const signer of [oldSecret, newSecret]) {
      const sig = signWebhook(bytes, signer);
      const event = verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sig },
        secrets: [oldSecret, newSecret],
      });
      expect(event.id).toBe('prod1-123456-abcd-1234-ab12-c123d456e789');
    }
    const other = signWebhook(bytes, 'whsec_retired_000');
    const error = failure(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': other }, secrets: [oldSecret, newSecret] }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toContain('2 configured secret(s)');
  });

  it('verifies sha256/hex when configured, hex case-insensitively, and lists of schemes', () => {
    const scheme = { algorithm: 'sha256', encoding: 'hex' } as const;
    const sig = signWebhook(bytes, SECRET, scheme);
    expect(verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET, scheme }).id).toBe(
      'prod1-123456-abcd-1234-ab12-c123d456e789',
    );
    expect(
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig.toUpperCase() }, secrets: SECRET, scheme })
        .kind,
    ).toBe('payment');
    const both = [{}, scheme];
    expect(
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET, scheme: both }).kind,
    ).toBe('payment');
    const sha512 = signWebhook(bytes, SECRET);
    expect(
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sha512 }, secrets: SECRET, scheme: both }).kind,
    ).toBe('payment');
    const sha256b64 = signWebhook(bytes, SECRET, { algorithm: 'sha256' });
    expect(
      verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sha256b64 },
        secrets: SECRET,
        scheme: { algorithm: 'sha256' },
      }).kind,
    ).toBe('payment');
  });

  it('names the likely scheme when the header is hex or SHA-256 but the default is configured', () => {
    const hex = signWebhook(bytes, SECRET, { encoding: 'hex' });
    const e1 = failure(() => verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': hex }, secrets: SECRET }));
    expect(e1.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(e1.message).toContain("encoding: 'hex'");
    const sha256 = signWebhook(bytes, SECRET, { algorithm: 'sha256' });
    const e2 = failure(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sha256 }, secrets: SECRET }),
    );
    expect(e2.message).toContain("algorithm: 'sha256'");
    // The hex scheme does not accept a base64 header of the same HMAC.
    const b64 = signWebhook(bytes, SECRET);
    expect(
      failure(() =>
        verifyWebhook({
          rawBody: bytes,
          headers: { 'x-ingo-signature': b64 },
          secrets: SECRET,
          scheme: { encoding: 'hex' },
        }),
      ).code,
    ).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('rejects a wrong secret', () => {
    const sig = signWebhook(bytes, 'whsec_someone_else');
    const error = failure(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/secret is wrong/);
  });

  it('rejects a body tampered after signing', () => {
    const sig = signWebhook(bytes, SECRET);
    const tampered = Buffer.from(text.replace('"123456789"', '"987654321"'), 'utf8');
    expect(tampered.equals(bytes)).toBe(false);
    const error = failure(() =>
      verifyWebhook({ rawBody: tampered, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('rejects a missing or empty X-Ingo-Signature', () => {
    for (const headers of [{}, { 'x-ingo-signature': '' }, { 'x-ingo-signature': '   ' }, { 'x-ingo-signature': [] }]) {
      const error = failure(() => verifyWebhook({ rawBody: bytes, headers, secrets: SECRET }));
      expect(error.code).toBe('ERR_WEBHOOK_NO_SIGNATURE');
      expect(error.message).toContain('X-Ingo-Signature');
    }
  });

  it('says a parsed object was passed instead of the raw body', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const rawBody of [JSON.parse(text), '[object Object]', undefined, 42]) {
      const error = failure(() =>
        verifyWebhook({ rawBody: rawBody as string, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
      );
      expect(error.code).toBe('ERR_WEBHOOK_RAW_BODY_REQUIRED');
      expect(error.message).toMatch(/raw request body/);
    }
    const parsed = failure(() =>
      verifyWebhook({ rawBody: JSON.parse(text), headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(parsed.message).toContain('got a parsed object');
  });

  it('says the body looks re-serialized when JSON.stringify(JSON.parse(raw)) is passed', () => {
    const sig = signWebhook(bytes, SECRET);
    const reserialized = JSON.stringify(JSON.parse(text));
    expect(reserialized).not.toBe(text);
    const error = failure(() =>
      verifyWebhook({ rawBody: reserialized, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/re-serialized/);
    expect(error.message).toMatch(/raw request bytes/);
  });

  it('says the body was re-serialized when the signature matches another serialization of it', () => {
    // Ingo sent compact JSON; a middleware pretty-printed it, or reordered keys before pretty-printing.
    const compact = JSON.stringify(JSON.parse(text));
    const sig = signWebhook(compact, SECRET);
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    const error = failure(() =>
      verifyWebhook({ rawBody: pretty, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/was re-serialized/);
    expect(error.message).toMatch(/matches another serialization/);
  });

  it('does not claim re-serialization for a tampered pretty-printed body', () => {
    const sig = signWebhook(bytes, SECRET);
    const tampered = text.replace('1125', '1126');
    const error = failure(() =>
      verifyWebhook({ rawBody: tampered, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.message).not.toMatch(/re-serialized/);
  });

  it('refuses a secret with stray whitespace, saying so without printing it', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const secrets of [` ${SECRET}`, `${SECRET}\n`, ['whsec_fine_value', `\t${SECRET}`]]) {
      const error = failure(() => verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets }));
      expect(error.code).toBe('ERR_WEBHOOK_SECRET_WHITESPACE');
      expect(error.message).toMatch(/leading or trailing whitespace/);
      expect(error.message).not.toContain(SECRET);
    }
    const second = failure(() =>
      verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sig },
        secrets: ['whsec_fine_value', ` ${SECRET}`],
      }),
    );
    expect(second.message).toContain('#2');
  });

  it('refuses a missing secret', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const secrets of ['', [], [''], [SECRET, ''], undefined]) {
      const error = failure(() =>
        verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: secrets as string }),
      );
      expect(error.code).toBe('ERR_WEBHOOK_NO_SECRET');
    }
    expect(() => assertWebhookSecrets([SECRET, 'whsec_next'])).not.toThrow();
  });

  it('refuses unknown or empty scheme configuration', () => {
    const sig = signWebhook(bytes, SECRET);
    expect(() =>
      verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sig },
        secrets: SECRET,
        scheme: { algorithm: 'sha1' as 'sha256' },
      }),
    ).toThrow(ConfigurationError);
    expect(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET, scheme: [] }),
    ).toThrow(ConfigurationError);
  });

  it('never puts a secret or the expected signature in an error', () => {
    const secrets = ['whsec_rotation_old_AAAA', 'whsec_rotation_new_BBBB'];
    const expectedSigs = secrets.map((s) => signWebhook(bytes, s));
    const attempts: (() => unknown)[] = [
      () => verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': 'bogus' }, secrets }),
      () =>
        verifyWebhook({
          rawBody: JSON.stringify(JSON.parse(text)),
          headers: { 'x-ingo-signature': expectedSigs[0] },
          secrets,
        }),
      () => verifyWebhook({ rawBody: JSON.parse(text), headers: { 'x-ingo-signature': expectedSigs[0] }, secrets }),
      () => verifyWebhook({ rawBody: bytes, headers: {}, secrets }),
      () =>
        verifyWebhook({
          rawBody: bytes,
          headers: { 'x-ingo-signature': expectedSigs[0] },
          secrets: [` ${secrets[0]}`],
        }),
      () =>
        verifyWebhook({
          rawBody: 'not json',
          headers: { 'x-ingo-signature': signWebhook('not json', secrets[1]!) },
          secrets,
        }),
      () => verifyWebhook({ rawBody: '[]', headers: { 'x-ingo-signature': signWebhook('[]', secrets[1]!) }, secrets }),
      () =>
        verifyWebhook({
          rawBody: bytes,
          headers: { 'x-ingo-signature': signWebhook(bytes, secrets[0]!, { encoding: 'hex' }) },
          secrets,
        }),
    ];
    for (const attempt of attempts) {
      const error = failure(attempt);
      const rendered = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error)}`;
      for (const secret of secrets) expect(rendered).not.toContain(secret.slice(6));
      for (const sig of expectedSigs) expect(rendered).not.toContain(sig.slice(0, 16));
    }
  });

  it('property: any body signed with any secret verifies; any change to a body byte or the signature fails', () => {
    const secretArb = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0);
    fc.assert(
      fc.property(
        secretArb,
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom<{ algorithm?: 'sha512' | 'sha256'; encoding?: 'base64' | 'hex' }>(
          {},
          { algorithm: 'sha256' },
          { encoding: 'hex' },
          { algorithm: 'sha256', encoding: 'hex' },
        ),
        (secret, raw, position, flip, scheme) => {
          const payload = Buffer.from(JSON.stringify({ metadata: { id: 'e', topic: 't' }, data: { blob: [...raw] } }));
          const sig = signWebhook(payload, secret, scheme);
          expect(
            verifyWebhook({ rawBody: payload, headers: { 'x-ingo-signature': sig }, secrets: secret, scheme }).id,
          ).toBe('e');
          const changed = Buffer.from(payload);
          const i = position % changed.length;
          changed[i] = changed[i]! ^ flip;
          expect(
            failure(() =>
              verifyWebhook({ rawBody: changed, headers: { 'x-ingo-signature': sig }, secrets: secret, scheme }),
            ).code,
          ).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
          const j = position % sig.length;
          const alphabet =
            scheme.encoding === 'hex'
              ? '0123456789abcdef'
              : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
          const replacement = [...alphabet].find((c) => c !== sig[j]!.toLowerCase() && c !== sig[j])!;
          const badSig = `${sig.slice(0, j)}${replacement}${sig.slice(j + 1)}`;
          expect(
            failure(() =>
              verifyWebhook({ rawBody: payload, headers: { 'x-ingo-signature': badSig }, secrets: secret, scheme }),
            ).code,
          ).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
        },
      ),
      { numRuns: 150 },
    );
  });
});
