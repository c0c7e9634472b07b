// Bounded concurrency and a start-rate limit for the bulk sender: at most `concurrency` requests in
// flight, and request starts spaced 1/rate seconds apart (rate 0 = unlimited). Ingo asks for at most 5
// per second per participant (docs/ingo-contract.md §4.2), hence the default.

export interface Pacing {
  concurrency: number;
  /** Request starts per second; 0 = no limit. */
  rate: number;
}

/** Runs `work` on every item with the pacing; resolves when all are done (work handles its own errors). */
export async function runPaced<T>(
  items: readonly T[],
  pacing: Pacing,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const interval = pacing.rate > 0 ? 1000 / pacing.rate : 0;
  let nextStart = performance.now();
  let index = 0;
  const slot = async (): Promise<void> => {
    while (index < items.length) {
      const at = index++;
      const item = items[at] as T;
      if (interval > 0) {
        const now = performance.now();
        const startAt = Math.max(now, nextStart);
        nextStart = startAt + interval;
        if (startAt > now) await new Promise((resolve) => setTimeout(resolve, startAt - now));
      }
      await work(item, at);
    }
  };
  await Promise.all(Array.from({ length: Math.min(pacing.concurrency, items.length) }, slot));
}
