import { describe, expect, it } from 'vitest';
import { backoffDelay, RETRY_DEFAULTS } from './request-sender.js';

describe('backoffDelay (full jitter)', () => {
  it('defaults to 2 retries from 0.5 s capped at 5 s', () => {
    expect(RETRY_DEFAULTS).toEqual({ maxRetries: 2, initialDelayMs: 500, maxDelayMs: 5_000 });
  });

  it('draws uniformly below a ceiling that doubles per retry up to the cap', () => {
    const top = () => 0.999_999;
    expect(backoffDelay(0, RETRY_DEFAULTS, top)).toBe(499);
    expect(backoffDelay(1, RETRY_DEFAULTS, top)).toBe(999);
    expect(backoffDelay(3, RETRY_DEFAULTS, top)).toBe(3_999);
    expect(backoffDelay(4, RETRY_DEFAULTS, top)).toBe(4_999);
    expect(backoffDelay(10, RETRY_DEFAULTS, top)).toBe(4_999);
    expect(backoffDelay(3, RETRY_DEFAULTS, () => 0)).toBe(0);
    expect(backoffDelay(1, RETRY_DEFAULTS, () => 0.5)).toBe(500);
  });

  it('treats Retry-After as a floor, still capped', () => {
    expect(backoffDelay(0, RETRY_DEFAULTS, () => 0, 2_000)).toBe(2_000);
    expect(backoffDelay(0, RETRY_DEFAULTS, () => 0, 60_000)).toBe(5_000);
    expect(backoffDelay(0, { initialDelayMs: 1, maxDelayMs: 5 }, () => 0, 1_000)).toBe(5);
  });
});
