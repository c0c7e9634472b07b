import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AbortError } from '../errors.js';
import { RateLimiter } from './rate-limiter.js';
import { sleep } from './request-sender.js';

// Fake timers: every wait is virtual, so the assertions are on counted start times, never on the wall clock.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function limiter(requestsPerSecond: number) {
  return new RateLimiter({ requestsPerSecond }, { now: () => Date.now(), sleep });
}

/** Start times (ms after t0) of `count` requests that all ask for a turn at once. */
async function startTimes(l: RateLimiter, count: number): Promise<number[]> {
  const t0 = Date.now();
  const starts: number[] = [];
  const all = Array.from({ length: count }, () => l.acquire().then(() => starts.push(Date.now() - t0)));
  await vi.advanceTimersByTimeAsync(60_000);
  await Promise.all(all);
  return starts;
}

/** The most starts any window [t, t + 1000) holds. */
function busiestSecond(starts: readonly number[]): number {
  return Math.max(0, ...starts.map((t) => starts.filter((s) => s >= t && s < t + 1000).length));
}

describe('RateLimiter (docs/ingo-contract.md §4.2)', () => {
  it('lets 5 requests start at once, then 5 per second, in arrival order', async () => {
    const starts = await startTimes(limiter(5), 12);
    expect(starts).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
    expect(busiestSecond(starts)).toBe(5);
  });

  it('never lets more than N start in any one-second window, however requests arrive', async () => {
    const l = limiter(3);
    const t0 = Date.now();
    const starts: number[] = [];
    const pending: Promise<unknown>[] = [];
    // Requests trickle in at irregular times, some in bursts.
    for (const at of [0, 0, 10, 250, 250, 250, 900, 1100, 1100, 1950, 2600, 2600, 2600, 2600]) {
      await vi.advanceTimersByTimeAsync(Math.max(0, t0 + at - Date.now()));
      pending.push(l.acquire().then(() => starts.push(Date.now() - t0)));
    }
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(pending);
    expect(starts).toHaveLength(14);
    expect(busiestSecond(starts)).toBeLessThanOrEqual(3);
    // Nobody waits longer than needed: the first three start when they ask.
    expect(starts.slice(0, 3)).toEqual([0, 0, 10]);
  });

  it('does not delay requests that stay under the limit', async () => {
    const l = limiter(5);
    const t0 = Date.now();
    for (let i = 0; i < 6; i++) {
      await l.acquire();
      expect(Date.now() - t0).toBe(i * 300);
      await vi.advanceTimersByTimeAsync(300);
    }
  });

  it('a waiting request whose signal aborts rejects with AbortError', async () => {
    const l = limiter(1);
    await l.acquire();
    const controller = new AbortController();
    const waiting = l.acquire(controller.signal);
    const outcome = waiting.then(
      () => 'started',
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();
    expect(await outcome).toBeInstanceOf(AbortError);
    await expect(l.acquire(AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
  });
});
