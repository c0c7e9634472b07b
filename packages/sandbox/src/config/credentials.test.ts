// The credential syntax of --credentials, and configuration errors that name the entry without ever
// repeating a secret.

import { ConfigurationError } from '@notifykit/sdk';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_CREDENTIALS, parseCredentials, resolveCredentials } from './credentials.js';

describe('credentials', () => {
  it('parses username:secret:participantId with options, comma-separated', () => {
    expect(
      parseCredentials('acme:s3cret:777:limit=10000.00, otac-co:0th3r:778:otac:email-optional:lenient-contact'),
    ).toEqual([
      { username: 'acme', secret: 's3cret', participantId: 777, dailyLimit: '10000.00' },
      {
        username: 'otac-co',
        secret: '0th3r',
        participantId: 778,
        otac: true,
        requireEmail: false,
        strictContact: false,
      },
    ]);
    const [resolved] = resolveCredentials(parseCredentials('acme:s3cret:777:limit=10000.5'));
    expect(resolved).toMatchObject({ dailyLimitCents: 1_000_050, otac: false, requireEmail: true, development: false });
  });

  it('uses the development credentials when none are given, and marks them', () => {
    const resolved = resolveCredentials(undefined);
    expect(resolved.map((c) => c.username)).toEqual(DEVELOPMENT_CREDENTIALS.map((c) => c.username));
    expect(resolved.every((c) => c.development)).toBe(true);
    expect(resolved[1]!.otac).toBe(true);
  });

  it.each([
    ['acme:s3cret-value', /entry 1: expected username:secret:participantId/],
    ['acme:s3cret-value:0', /participantId must be a positive integer/],
    ['acme:s3cret-value:12:vip', /unknown option #1/],
    ['acme:s3cret-value:12:limit=lots', /limit must be decimal dollars/],
    ['acme:s3cret-value:12,acme:s3cret-value2:13', /username acme is repeated/],
    ['acme:s3cret-value:12,bob:s3cret-value3:12', /participantId 12 is repeated/],
    ['', /empty/],
  ])('refuses %j without echoing the secret', (spec, message) => {
    let error: unknown;
    try {
      resolveCredentials(parseCredentials(spec));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('s3cret-value');
  });
});
