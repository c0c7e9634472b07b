/** Delay before outbox attempt `attempt + 1`: exponential from `baseMs`, capped, with ±20 % jitter. */
export function outboxBackoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(exponential * (0.8 + 0.4 * random())));
}
