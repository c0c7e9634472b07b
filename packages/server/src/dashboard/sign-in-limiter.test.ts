import { describe, expect, it } from 'vitest';
import { SignInLimiter } from './sign-in-limiter.js';

describe('SignInLimiter', () => {
  it('lets `limit` failures through per address, then makes that address wait until the oldest ages out', () => {
    let now = 1_000_000;
    const limiter = new SignInLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterS('1.1.1.1')).toBe(0);
      limiter.recordFailure('1.1.1.1');
      now += 1000;
    }
    expect(limiter.retryAfterS('1.1.1.1')).toBe(57);
    expect(limiter.retryAfterS('2.2.2.2')).toBe(0);
    now += 57_000;
    expect(limiter.retryAfterS('1.1.1.1')).toBe(0);
  });
});
