// The message of a signature mismatch must not mislead (docs/ingo-contract.md §6): it says "re-serialized" only
// when a re-serialization of the body verifies, names a transit alteration only when undoing it verifies,
// says "wrong scheme" when the header's shape is another scheme's, and "wrong secret or wrong scheme"
// otherwise — always naming the configured algorithm and encoding.

import { describe, expect, it } from 'vitest';
import { failure, SECRET } from '../../test/support/signed-webhooks.js';
import { fixture } from '../../test/support/webhook-fixtures.js';
import { signWebhook, verifyWebhook } from './verify.js';

const text = fixture('transaction.recipient.payment.status.success.json');

describe('the mismatch hint names the likely cause, and only that (a compact genuine body, as the sandbox sends)', () => {
  // A body exactly as JSON.stringify writes it: what the sandbox (and any compact sender) delivers.
  const compact = JSON.stringify(JSON.parse(text));

  it('wrong secret with the genuine raw body: "wrong secret or wrong scheme", never "re-serialized"', () => {
    const sig = signWebhook(compact, 'whsec_the_secret_ingo_really_uses');
    const error = failure(() =>
      verifyWebhook({ rawBody: Buffer.from(compact), headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/wrong secret or wrong scheme/);
    expect(error.message).toMatch(/secret is wrong/);
    expect(error.message).not.toMatch(/re-?serializ/i);
    expect(error.message).toContain('configured scheme: HMAC-SHA512 base64');
    expect(error.message).not.toContain(SECRET);
  });

  it('a hex signature checked as base64: "wrong scheme", naming the configured encoding and the fix', () => {
    const hex = signWebhook(compact, SECRET, { encoding: 'hex' });
    const error = failure(() =>
      verifyWebhook({ rawBody: compact, headers: { 'x-ingo-signature': hex }, secrets: SECRET }),
    );
    expect(error.message).toMatch(/wrong scheme/);
    expect(error.message).toMatch(/128 hex characters/);
    expect(error.message).toContain("configure scheme { encoding: 'hex' }");
    expect(error.message).toContain('configured scheme: HMAC-SHA512 base64');
    expect(error.message).not.toMatch(/re-?serializ/i);
  });

  it('a base64 signature checked as hex: names the configured hex encoding', () => {
    const b64 = signWebhook(compact, SECRET);
    const error = failure(() =>
      verifyWebhook({
        rawBody: compact,
        headers: { 'x-ingo-signature': b64 },
        secrets: SECRET,
        scheme: { algorithm: 'sha512', encoding: 'hex' },
      }),
    );
    expect(error.message).toContain('configured scheme: HMAC-SHA512 hex');
    expect(error.message).toContain("configure scheme { encoding: 'base64' }");
    expect(error.message).not.toMatch(/re-?serializ/i);
  });

  it('a truly re-serialized body: says so, because the signature matches the original serialization', () => {
    const sig = signWebhook(compact, SECRET);
    for (const reserialized of [
      JSON.stringify(JSON.parse(compact), null, 2),
      JSON.stringify(JSON.parse(compact), null, '\t'),
    ]) {
      const error = failure(() =>
        verifyWebhook({ rawBody: reserialized, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
      );
      expect(error.message).toMatch(/the body was re-serialized/);
      expect(error.message).toContain('configured scheme: HMAC-SHA512 base64');
    }
  });

  it('a body altered in transit (trailing newline, CRLF, surrounding whitespace, BOM): names the change', () => {
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    const cases: [signedBody: string, received: string, cause: RegExp][] = [
      [pretty, `${pretty}\n`, /surrounding whitespace was added/],
      [`${compact}\n`, compact, /trailing newline was removed/],
      [pretty, pretty.replace(/\n/g, '\r\n'), /CRLF/],
      [compact, `\uFEFF${compact}`, /byte-order mark/],
    ];
    for (const [signedBody, received, cause] of cases) {
      const sig = signWebhook(signedBody, SECRET);
      const error = failure(() =>
        verifyWebhook({ rawBody: received, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
      );
      expect(error.message).toMatch(cause);
      expect(error.message).not.toMatch(/re-?serializ/i);
    }
  });
});
