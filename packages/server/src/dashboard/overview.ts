import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { outboxStates } from '../disbursements/reads.js';
import { computeStats } from '../disbursements/stats.js';
import { disbursementView } from '../http/views.js';

// `GET /dashboard/overview`: the API's stats (counts and amounts per status, funnel, median time to
// fund), payouts staged and funded per UTC day, and the payouts that need a human.

const DAY_MS = 86_400_000;
/** Attention flags are derived from each payout's lifecycle state, so candidates are bounded. */
const ATTENTION_CANDIDATES = 500;
const ATTENTION_SHOWN = 50;

/** Per UTC day, counted by the index on the time column (0004_dashboard). */
async function perDay(db: Kysely<DatabaseSchema>, column: 'staged_at' | 'funded_at', from: number) {
  const rows = await db
    .selectFrom('disbursements')
    // A literal divisor: as a bound parameter PostgreSQL would not see the SELECT and GROUP BY
    // expressions as the same one.
    .select([sql<number>`${sql.ref(column)} / ${sql.lit(DAY_MS)}`.as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where(column, '>=', from)
    .groupBy(sql`${sql.ref(column)} / ${sql.lit(DAY_MS)}`)
    .execute();
  return new Map(rows.map((r) => [Math.floor(Number(r.day)), Number(r.n)]));
}

export async function dailyCounts(db: Kysely<DatabaseSchema>, days: number, now = Date.now()) {
  const firstDay = Math.floor(now / DAY_MS) - (days - 1);
  const staged = await perDay(db, 'staged_at', firstDay * DAY_MS);
  const funded = await perDay(db, 'funded_at', firstDay * DAY_MS);
  return Array.from({ length: days }, (_, i) => {
    const day = firstDay + i;
    return {
      day: new Date(day * DAY_MS).toISOString().slice(0, 10),
      staged: staged.get(day) ?? 0,
      funded: funded.get(day) ?? 0,
    };
  });
}

/**
 * Payouts with attention flags (bounced, held, authentication exhausted, declined, stage retrying…):
 * every bounced or held payout and every payout whose stage call is retrying, plus the most recently
 * changed ones, newest change first.
 */
export async function attentionList(db: Kysely<DatabaseSchema>) {
  const flagged = await db
    .selectFrom('disbursements')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('status', '=', 'bounced'),
        eb('on_hold', '=', 1),
        eb('id', 'in', eb.selectFrom('outbox').select('disbursement_id')),
      ]),
    )
    .orderBy('updated_at', 'desc')
    .limit(ATTENTION_CANDIDATES)
    .execute();
  const recent = await db
    .selectFrom('disbursements')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(ATTENTION_CANDIDATES)
    .execute();
  const rows = [...new Map([...flagged, ...recent].map((r) => [r.id, r])).values()].sort(
    (a, b) => b.updated_at - a.updated_at,
  );
  const outbox = await outboxStates(
    db,
    rows.map((r) => r.id),
  );
  return rows
    .map((row) => disbursementView(row, outbox.get(row.id)))
    .filter((view) => view.attention.length > 0)
    .slice(0, ATTENTION_SHOWN);
}

export async function overview(db: Kysely<DatabaseSchema>, now = Date.now()) {
  const stats = await computeStats(db);
  const funnel = stats.funnel.map((step, i) => {
    const previous = i === 0 ? undefined : stats.funnel[i - 1]!.reached;
    return {
      ...step,
      conversion: previous === undefined || previous === 0 ? null : step.reached / previous,
    };
  });
  return {
    ...stats,
    funnel,
    per_day: await dailyCounts(db, 30, now),
    attention: await attentionList(db),
    generated_at: new Date(now).toISOString(),
  };
}
