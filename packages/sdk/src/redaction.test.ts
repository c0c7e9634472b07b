import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSensitiveKey, REDACTED, redact, redactLogFields, SENSITIVE_KEYS } from './redaction.js';

describe('redact', () => {
  it('replaces sensitive values at any depth and leaves the input untouched', () => {
    const input = {
      participant_unique_id1: 'pay-1',
      authentication_records: [{ field_label: 'Last 4 SSN', client_provided_value: '6789' }],
      notification_records: [{ field_label: 'Claim', client_provided_value: 'CLM-1' }],
      headers: { Authorization: 'hmac username="u", signature="abc"', 'X-Api-Key': 'k-1' },
      config: { secret: 's', webhookSecret: 'ws', apiToken: 't', password: 'p' },
      person: { SSN: '123-45-6789', DOB: '1980-01-02', date_of_birth: '1980-01-02' },
    };
    const before = structuredClone(input);
    const out = redact(input);
    expect(input).toEqual(before);
    expect(out).toEqual({
      participant_unique_id1: 'pay-1',
      authentication_records: [{ field_label: 'Last 4 SSN', client_provided_value: REDACTED }],
      notification_records: [{ field_label: 'Claim', client_provided_value: REDACTED }],
      headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED },
      config: { secret: REDACTED, webhookSecret: REDACTED, apiToken: REDACTED, password: REDACTED },
      person: { SSN: REDACTED, DOB: REDACTED, date_of_birth: REDACTED },
    });
  });

  it('matches keys ignoring case, underscores and hyphens', () => {
    for (const key of [
      'client_provided_value',
      'clientProvidedValue',
      'CLIENT-PROVIDED-VALUE',
      'api_key',
      'apiKey',
      'Token',
    ]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
    for (const key of ['field_label', 'amount', 'participant_unique_id1', 'tokens_used_count']) {
      expect(isSensitiveKey(key)).toBe(false);
    }
    expect(SENSITIVE_KEYS).toEqual(
      expect.arrayContaining(['secret', 'client_provided_value', 'ssn', 'dob', 'webhook_secret']),
    );
  });

  it('copies cycles safely and keeps non-plain objects and primitives', () => {
    const date = new Date(0);
    const cyclic: Record<string, unknown> = { when: date, n: 1, nothing: null };
    cyclic.self = cyclic;
    const out = redact(cyclic) as Record<string, unknown>;
    expect(out).not.toBe(cyclic);
    expect(out.self).toBe('[Circular]');
    expect(out.when).toBe(date);
    expect(redact('plain')).toBe('plain');
    expect(redact(undefined)).toBeUndefined();
  });

  it('never lets a value under a sensitive key through (property)', () => {
    const sensitive = fc.constantFrom(...SENSITIVE_KEYS, 'clientProvidedValue', 'Webhook-Secret');
    const marker = 'PLANTED-\u0000';
    const tree = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), tie('node'), { maxKeys: 3 }),
        sensitive.map((key) => ({ [key]: `${marker}${key}` })),
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        expect(JSON.stringify(redact(value)) ?? '').not.toContain('PLANTED-');
      }),
    );
  });
});

describe('redactLogFields', () => {
  it('replaces raw bytes by their length and flattens errors without raw, cause or sensitive fields', () => {
    const err = Object.assign(new Error('Parse Error: Invalid header token'), {
      code: 'HPE_INVALID_HEADER_TOKEN',
      rawPacket: Buffer.from('GET / HTTP/1.1\r\nBad Header: x\r\n'),
      raw: { whole: 'answer' },
      secret: 's',
    });
    const out = redactLogFields({
      err,
      bytes: new Uint8Array(3),
      nested: [{ token: 't', buffer: new ArrayBuffer(2) }],
    });
    expect(out).toEqual({
      err: {
        type: 'Error',
        message: 'Parse Error: Invalid header token',
        code: 'HPE_INVALID_HEADER_TOKEN',
        rawPacket: '[31 bytes]',
        secret: REDACTED,
        stack: err.stack,
      },
      bytes: '[3 bytes]',
      nested: [{ token: REDACTED, buffer: '[2 bytes]' }],
    });
    expect(JSON.stringify(out)).not.toContain('Bad Header');
  });
});
