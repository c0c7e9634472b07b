// The optional client-side limiter of docs/ingo-contract.md §4.2: Ingo asks for "at most five simultaneous
// requests per second" per participant. Off by default; when configured, every attempt (retries
// included) reserves a start time so that no window of one second holds more than N starts.

import { AbortError } from '../errors.js';

export interface RateLimitOptions {
  /** Request starts allowed in any one-second window (Ingo asks for at most 5). */
  requestsPerSecond: number;
}

const WINDOW_MS = 1_000;

/** The clock and timer the limiter waits with; tests pass fakes, so nothing asserts on wall-clock time. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal | undefined): Promise<void>;
}

/**
 * A sliding-window limiter that hands out start times in arrival order (first come, first served).
 * Reservation k starts no earlier than reservation k − N plus one second, so any one-second window
 * contains at most N starts; a caller whose signal aborts while it waits gives up its turn silently.
 */
export class RateLimiter {
  readonly requestsPerSecond: number;
  readonly #clock: LimiterClock;
  /** The last N reserved start times, ascending. */
  readonly #starts: number[] = [];

  constructor(options: RateLimitOptions, clock: LimiterClock) {
    this.requestsPerSecond = options.requestsPerSecond;
    this.#clock = clock;
  }

  /** Resolves when this request may start; rejects with {@link AbortError} if `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new AbortError({ cause: signal.reason });
    const now = this.#clock.now();
    const n = this.requestsPerSecond;
    const oldest = this.#starts.length >= n ? this.#starts[this.#starts.length - n]! : undefined;
    const start = oldest === undefined ? now : Math.max(now, oldest + WINDOW_MS);
    this.#starts.push(start);
    if (this.#starts.length > n) this.#starts.splice(0, this.#starts.length - n);
    if (start > now) await this.#clock.sleep(start - now, signal);
  }
}
