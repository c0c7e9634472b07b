// Failed sign-in attempts per client address in a sliding window (default 10 a minute): guessing a
// token through the dashboard costs a minute per ten tries. Once the limit is reached every attempt
// from that address waits, the right token included, so the answer tells a guesser nothing.
// In memory, like the sessions.

export class SignInLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  #recent(address: string, at: number): number[] {
    const recent = (this.#failures.get(address) ?? []).filter((t) => t > at - this.windowMs);
    if (recent.length === 0) this.#failures.delete(address);
    else this.#failures.set(address, recent);
    return recent;
  }

  /** 0 when `address` may try now, else the seconds until it may. */
  retryAfterS(address: string): number {
    const at = this.now();
    const recent = this.#recent(address, at);
    if (recent.length < this.limit) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limit]! + this.windowMs - at) / 1000));
  }

  recordFailure(address: string): void {
    const at = this.now();
    this.#recent(address, at);
    this.#failures.set(address, [...(this.#failures.get(address) ?? []), at]);
    if (this.#failures.size > 10_000) {
      for (const key of [...this.#failures.keys()]) this.#recent(key, at);
    }
  }
}
