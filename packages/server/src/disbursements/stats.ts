import { formatCents } from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

// `GET /api/v1/stats`: counts and amounts per status, the staged → funded funnel, the median time to
// fund, orphan events and outbox depth, each from an index rather than a scan.

/** Progress steps of the funnel and the `furthest_rank` each one needs. */
const FUNNEL_STEPS = [
  ['staged', 1],
  ['notified', 2],
  ['viewed', 3],
  ['authenticated', 4],
  ['claimed', 5],
  ['approved', 6],
  ['funded', 7],
] as const;

export async function computeStats(db: Kysely<DatabaseSchema>) {
  // One pass over the covering (status, furthest_rank, amount_cents) index gives counts, amounts and
  // the funnel together.
  const groups = await db
    .selectFrom('disbursements')
    .select(['status', 'furthest_rank'])
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('amount_cents').as('cents')])
    .groupBy(['status', 'furthest_rank'])
    .execute();
  const byStatus: Record<string, { count: number; amount: string; amount_cents: number }> = {};
  const reachedByRank = new Map<number, number>();
  let totalCount = 0;
  let totalCents = 0;
  for (const g of groups) {
    const n = Number(g.n);
    const cents = Number(g.cents ?? 0);
    const entry = byStatus[g.status] ?? { count: 0, amount: '0.00', amount_cents: 0 };
    entry.count += n;
    entry.amount_cents += cents;
    entry.amount = formatCents(entry.amount_cents);
    byStatus[g.status] = entry;
    reachedByRank.set(g.furthest_rank, (reachedByRank.get(g.furthest_rank) ?? 0) + n);
    totalCount += n;
    totalCents += cents;
  }
  const funnel = FUNNEL_STEPS.map(([step, rank]) => ({
    step,
    reached: [...reachedByRank.entries()].filter(([r]) => r >= rank).reduce((sum, [, n]) => sum + n, 0),
  }));

  // Median by walking the time_to_fund_ms index to its middle: no sort, no full scan.
  const fundedCount = await db
    .selectFrom('disbursements')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('time_to_fund_ms', 'is not', null)
    .executeTakeFirstOrThrow();
  const n = Number(fundedCount.n);
  let median: number | null = null;
  if (n > 0) {
    const middle = await db
      .selectFrom('disbursements')
      .select('time_to_fund_ms')
      .where('time_to_fund_ms', 'is not', null)
      .orderBy('time_to_fund_ms')
      .limit(n % 2 === 0 ? 2 : 1)
      .offset(n % 2 === 0 ? n / 2 - 1 : (n - 1) / 2)
      .execute();
    const values = middle.map((r) => Number(r.time_to_fund_ms));
    median = Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  }
  const orphans = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('disbursement_id', 'is', null)
    .executeTakeFirstOrThrow();
  const outbox = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    total: { count: totalCount, amount: formatCents(totalCents), amount_cents: totalCents },
    by_status: byStatus,
    funnel,
    median_time_to_fund_ms: median,
    orphan_events: Number(orphans.n),
    outbox_depth: Number(outbox.n),
  };
}
