// Settings: the credential syntax, durations, and configuration errors that name the problem without
// ever repeating a secret.

import { ConfigurationError } from '@notifykit/sdk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MS, resolveConfig } from '../src/config.js';
import { DEVELOPMENT_CREDENTIALS, parseCredentials, resolveCredentials } from '../src/credentials.js';
import { parseDuration, parseDurationList } from '../src/durations.js';
import { redactedUrl } from '../src/redacted-url.js';

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

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['30d', 2_592_000_000],
    ['1.5s', 1500],
    ['42', 42],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('reads bare numbers in the default unit and lists of durations', () => {
    expect(parseDuration('90', 's')).toBe(90_000);
    expect(parseDurationList('100ms, 1s,5m')).toEqual([100, 1000, 300_000]);
    expect(() => parseDuration('5 parsecs')).toThrow(/not a duration/);
    expect(() => parseDurationList(' , ')).toThrow(/empty/);
  });
});

describe('resolveConfig', () => {
  it('fills the defaults of sandbox.md', () => {
    const config = resolveConfig({});
    expect(config).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      db: '.notifykit/sandbox.db',
      webhookUrl: null,
      webhookTimeoutMs: 10_000,
      speed: 1,
      ttlMs: 30 * 86_400_000,
      topics: 'catalog',
      duplicateRate: 0,
      reorderWindowMs: 0,
      allowReset: false,
      deliveryConcurrency: 4,
      webhookSecretIsDevelopmentDefault: true,
    });
    expect(config.retryScheduleMs).toEqual([...DEFAULT_RETRY_SCHEDULE_MS]);
    expect(DEFAULT_RETRY_SCHEDULE_MS.map((ms) => ms / 1000)).toEqual([5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800]);
  });

  it.each([
    [{ port: 70_000 }, /port/],
    [{ webhookUrl: 'ftp://example.com' }, /webhookUrl/],
    [{ webhookSecret: ' padded ' }, /whitespace/],
    [{ webhookAlgorithm: 'md5' as never }, /webhookAlgorithm/],
    [{ speed: -1 }, /speed/],
    [{ topics: 'klingon' as never }, /topics/],
    [{ retrySchedule: '1s,soon' }, /retry schedule/],
    [{ retrySchedule: [] }, /at least one/],
    [{ duplicateRate: 2 }, /duplicateRate/],
    [{ deliveryConcurrency: 0 }, /deliveryConcurrency/],
    [{ logLevel: 'loud' }, /logLevel/],
  ])('refuses %j', (options, message) => {
    expect(() => resolveConfig(options)).toThrow(message);
  });
});

describe('redactedUrl', () => {
  it.each([
    ['https://hooks.example/ingo', 'https://hooks.example/ingo'],
    ['https://u:p@hooks.example/x?a=1&b=2&a=3', 'https://u:REDACTED@hooks.example/x?a=REDACTED&b=REDACTED'],
    ['http://user@127.0.0.1:9000/', 'http://user@127.0.0.1:9000/'],
    ['not a url with a s3cr3t', '[REDACTED]'],
  ])('%s → %s', (url, shown) => {
    expect(redactedUrl(url)).toBe(shown);
  });
});
