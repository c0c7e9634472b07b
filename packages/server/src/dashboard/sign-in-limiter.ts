// Sign-in attempts per client address in a sliding one-minute window: guessing a token through the
// dashboard costs a minute per `limit` tries. In memory, like the sessions.

export class SignInLimiter {
  readonly #attempts = new Map<string, number[]>();

  constructor(
    private readonly limit = 10,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an attempt from `address`; answers 0 when allowed, else the seconds until the next is. */
  attempt(address: string): number {
    const at = this.now();
    const recent = (this.#attempts.get(address) ?? []).filter((t) => t > at - this.windowMs);
    if (recent.length >= this.limit) {
      this.#attempts.set(address, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - at) / 1000));
    }
    recent.push(at);
    this.#attempts.set(address, recent);
    if (this.#attempts.size > 10_000) this.#forgetIdle(at);
    return 0;
  }

  #forgetIdle(at: number): void {
    for (const [address, times] of this.#attempts) {
      if (times.every((t) => t <= at - this.windowMs)) this.#attempts.delete(address);
    }
  }
}
