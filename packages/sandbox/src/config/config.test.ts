// resolveConfig: the defaults of the sandbox README, and a ConfigurationError naming the setting for each bad one.

import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE_MS, resolveConfig } from './config.js';

describe('resolveConfig', () => {
  it('fills the defaults of the sandbox README', () => {
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
