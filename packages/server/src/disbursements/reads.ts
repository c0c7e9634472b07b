import { formatCents, REDACTED } from '@notifykit/sdk';
import { type Kysely, sql } from 'kysely';
import type { FieldCipher } from '../db/field-encryption.js';
import type { DatabaseSchema } from '../db/schema.js';
import { loadStageRequest } from '../db/stored-request.js';
import { decodeCursor, encodeCursor } from '../http/pagination-cursor.js';
import { disbursementView, eventView } from '../http/views.js';
import { normalizeSearchText } from './search-text.js';

export interface DisbursementFilters {
  statuses?: string[] | undefined;
  createdFrom?: number | undefined;
  createdTo?: number | undefined;
  updatedFrom?: number | undefined;
  updatedTo?: number | undefined;
  amountMinCents?: number | undefined;
  amountMaxCents?: number | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One page from `limit + 1` rows: the extra row only tells that another page exists. */
function pageOf<R, V>(rows: R[], limit: number, view: (row: R) => V, sortKey: (row: R) => (string | number)[]) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(view),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(sortKey(last)) : null,
  };
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first, keyset-paginated on (created_at, id); every filter is a sargable predicate. */
export async function listDisbursements(db: Kysely<DatabaseSchema>, f: DisbursementFilters) {
  let query = db.selectFrom('disbursements').selectAll();
  if (f.statuses && f.statuses.length > 0) {
    query =
      f.statuses.length === 1 ? query.where('status', '=', f.statuses[0]!) : query.where('status', 'in', f.statuses);
  }
  if (f.createdFrom !== undefined) query = query.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) query = query.where('created_at', '<', f.createdTo);
  if (f.updatedFrom !== undefined) query = query.where('updated_at', '>=', f.updatedFrom);
  if (f.updatedTo !== undefined) query = query.where('updated_at', '<', f.updatedTo);
  if (f.amountMinCents !== undefined) query = query.where('amount_cents', '>=', f.amountMinCents);
  if (f.amountMaxCents !== undefined) query = query.where('amount_cents', '<=', f.amountMaxCents);
  if (f.q !== undefined) {
    const q = f.q.trim();
    const pattern = `%${likeEscape(normalizeSearchText(q))}%`;
    query = query.where((eb) =>
      eb.or([
        eb('id', '=', q),
        eb('participant_unique_id1', '=', q),
        eb('participant_unique_id2', '=', q),
        eb('tracer_id', '=', q),
        eb('notification_id', '=', q),
        eb('recipient_name_search', 'like', sql<string>`${pattern} escape '\\'`),
      ]),
    );
  }
  if (f.cursor !== undefined) {
    const [createdAt, id] = decodeCursor(f.cursor, ['number', 'string'] as const);
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(createdAt, id)));
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  return pageOf(rows, f.limit, disbursementView, (last) => [last.created_at, last.id]);
}

/** Sensitive answers never leave the server, even to an authenticated caller. */
function redactRecords(records: unknown): unknown {
  if (!Array.isArray(records)) return records;
  return records.map((r) =>
    typeof r === 'object' && r !== null && 'client_provided_value' in r ? { ...r, client_provided_value: REDACTED } : r,
  );
}

export async function getDisbursementDetail(db: Kysely<DatabaseSchema>, cipher: FieldCipher, id: string) {
  const row = await db.selectFrom('disbursements').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const timeline = await db
    .selectFrom('timeline as t')
    .leftJoin('events as e', 'e.seq', 't.event_seq')
    .select([
      't.seq as t_seq',
      't.at',
      't.kind',
      't.status_before',
      't.status_after',
      't.detail',
      'e.seq',
      'e.metadata_id',
      'e.topic',
      'e.classification',
      'e.notification_id',
      'e.participant_unique_id1',
      'e.disbursement_id',
      'e.event_timestamp',
      'e.received_at',
      'e.duplicate_count',
      'e.last_duplicate_at',
      'e.raw_payload',
    ])
    .where('t.disbursement_id', '=', id)
    .orderBy('t.seq', 'asc')
    .execute();
  const request = ((await loadStageRequest(db, cipher, row.id)) ?? {}) as Record<string, unknown>;
  return {
    ...disbursementView(row),
    recipient: (request.recipient ?? {}) as Record<string, unknown>,
    request: {
      ...request,
      authentication_records: redactRecords(request.authentication_records),
      notification_records: redactRecords(request.notification_records),
    },
    timeline: timeline.map((t) => ({
      seq: t.t_seq,
      at: new Date(t.at).toISOString(),
      kind: t.kind,
      status_before: t.status_before,
      status_after: t.status_after,
      detail: t.detail === null ? null : (JSON.parse(t.detail) as unknown),
      event:
        t.seq === null
          ? null
          : eventView({
              seq: t.seq,
              metadata_id: t.metadata_id!,
              topic: t.topic!,
              classification: t.classification!,
              notification_id: t.notification_id,
              participant_unique_id1: t.participant_unique_id1,
              disbursement_id: t.disbursement_id,
              event_timestamp: t.event_timestamp,
              received_at: t.received_at!,
              duplicate_count: t.duplicate_count!,
              last_duplicate_at: t.last_duplicate_at,
              raw_payload: t.raw_payload!,
            }),
    })),
  };
}

export interface EventFilters {
  topic?: string | undefined;
  notificationId?: string | undefined;
  disbursementId?: string | undefined;
  orphan?: boolean | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function listEvents(db: Kysely<DatabaseSchema>, f: EventFilters) {
  let query = db.selectFrom('events').selectAll();
  if (f.topic !== undefined) query = query.where('topic', '=', f.topic);
  if (f.notificationId !== undefined) query = query.where('notification_id', '=', f.notificationId);
  if (f.disbursementId !== undefined) {
    // Through the timeline's index: events are not indexed by disbursement (see the 0001 migration).
    const disbursementId = f.disbursementId;
    query = query
      .where('disbursement_id', '=', disbursementId)
      .where('seq', 'in', (eb) =>
        eb
          .selectFrom('timeline')
          .select('event_seq')
          .where('timeline.disbursement_id', '=', disbursementId)
          .where('event_seq', 'is not', null),
      );
  }
  if (f.orphan === true) query = query.where('disbursement_id', 'is', null);
  if (f.orphan === false) query = query.where('disbursement_id', 'is not', null);
  if (f.cursor !== undefined) {
    const [seq] = decodeCursor(f.cursor, ['number'] as const);
    query = query.where('seq', '<', seq);
  }
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(f.limit + 1)
    .execute();
  return pageOf(rows, f.limit, eventView, (last) => [last.seq]);
}

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
