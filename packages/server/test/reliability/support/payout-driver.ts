import { stageBody } from '../../support/stage-body.js';
import { sleep } from './knobs.js';

/** The payout mix: mostly the happy path (5 events), some returned (6) and some failed authentications (6). */
export function payoutEmail(i: number): string {
  const tag = i % 10 === 7 || i % 10 === 8 ? '+return' : i % 10 === 9 ? '+authfail' : '';
  return `payee${i}${tag}@example.com`;
}

export interface StagingResult {
  sent: number;
  /** Payouts the API answered 2xx for (each counted once, whatever the number of retries). */
  acknowledged: number;
  /** Requests that failed (connection refused/reset while the server was down, 5xx) and were retried. */
  retried: number;
  /** Answers by HTTP status, retries included. */
  answers: Record<number, number>;
}

/**
 * Stages `keys.length` payouts through `POST /api/v1/disbursements`, `concurrency` at a time, as a
 * careful client does: the `Idempotency-Key` is the payout's key, and a request without an answer (the
 * server died) or with a 5xx is sent again until it gets a 2xx. A 4xx fails the run at once.
 * `onAcknowledged` runs after each payout's first 2xx (the chaos schedule hangs on it).
 */
export async function stagePayouts(options: {
  baseUrl: () => string;
  apiToken: string;
  keys: string[];
  concurrency: number;
  onAcknowledged?: (count: number) => void;
  /** Pause after each payout (per worker): spreads the payouts over a span of time. */
  paceMs?: number;
}): Promise<StagingResult> {
  const result: StagingResult = { sent: options.keys.length, acknowledged: 0, retried: 0, answers: {} };
  let next = 0;
  const stageOne = async (i: number) => {
    const key = options.keys[i]!;
    const body = JSON.stringify(stageBody({ puid1: key, email: payoutEmail(i), amount: `${(i % 97) + 1}.25` }));
    for (;;) {
      const status = await fetch(`${options.baseUrl()}/api/v1/disbursements`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.apiToken}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
      }).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
        () => 0,
      );
      result.answers[status] = (result.answers[status] ?? 0) + 1;
      if (status >= 200 && status < 300) break;
      if (status >= 400 && status < 500) throw new Error(`staging ${key} answered ${status}`);
      result.retried += 1;
      await sleep(50);
    }
    result.acknowledged += 1;
    options.onAcknowledged?.(result.acknowledged);
    if (options.paceMs) await sleep(options.paceMs);
  };
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.keys.length) await stageOne(next++);
    }),
  );
  return result;
}
