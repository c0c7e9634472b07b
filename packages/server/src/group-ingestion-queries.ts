import type { Database } from './db/connection.js';
import { type PreparedPositionalQuery, preparePositionalQuery } from './db/prepared-query.js';
import type { DisbursementRow } from './disbursement-view.js';

// The multi-row statements of group ingestion, prepared once per row count (groups are 1–256 webhooks,
// so at most a few hundred shapes) instead of being rebuilt and recompiled for every group.

export const EVENT_COLUMNS = [
  'metadata_id',
  'topic',
  'classification',
  'notification_id',
  'participant_unique_id1',
  'disbursement_id',
  'event_timestamp',
  'received_at',
  'raw_payload',
] as const;

export const TIMELINE_COLUMNS = [
  'disbursement_id',
  'at',
  'kind',
  'event_seq',
  'status_before',
  'status_after',
  'detail',
] as const;

export const DISBURSEMENT_COLUMNS = [
  'id',
  'participant_id',
  'participant_unique_id1',
  'participant_unique_id2',
  'tracer_id',
  'notification_id',
  'amount_cents',
  'status',
  'furthest_rank',
  'recipient_name',
  'recipient_name_search',
  'lifecycle_state',
  'on_hold',
  'ingo_status',
  'failure_code',
  'failure_message',
  'created_at',
  'updated_at',
  'staged_at',
  'funded_at',
  'time_to_fund_ms',
  'last_event_at',
] as const satisfies readonly (keyof DisbursementRow)[];

type Cache<R> = Map<number, PreparedPositionalQuery<R>>;

export interface GroupIngestionQueries {
  insertEvents(rows: number): PreparedPositionalQuery<{ seq: number; metadata_id: string }>;
  insertTimeline(rows: number): PreparedPositionalQuery<unknown>;
  upsertDisbursements(rows: number): PreparedPositionalQuery<unknown>;
}

const caches = new WeakMap<Database, GroupIngestionQueries>();

function cached<R>(cache: Cache<R>, rows: number, make: () => PreparedPositionalQuery<R>): PreparedPositionalQuery<R> {
  let query = cache.get(rows);
  if (!query) {
    query = make();
    cache.set(rows, query);
  }
  return query;
}

export function groupIngestionQueries(database: Database): GroupIngestionQueries {
  const existing = caches.get(database);
  if (existing) return existing;
  const { db } = database;
  const events: Cache<{ seq: number; metadata_id: string }> = new Map();
  const timeline: Cache<unknown> = new Map();
  const upserts: Cache<unknown> = new Map();
  const queries: GroupIngestionQueries = {
    insertEvents: (rows) =>
      cached(events, rows, () =>
        preparePositionalQuery(db, (k, at) =>
          k
            .insertInto('events')
            .values(
              Array.from({ length: rows }, (_, r) => ({
                metadata_id: at(r * EVENT_COLUMNS.length),
                topic: at(r * EVENT_COLUMNS.length + 1),
                classification: at(r * EVENT_COLUMNS.length + 2),
                notification_id: at(r * EVENT_COLUMNS.length + 3),
                participant_unique_id1: at(r * EVENT_COLUMNS.length + 4),
                disbursement_id: at(r * EVENT_COLUMNS.length + 5),
                event_timestamp: at(r * EVENT_COLUMNS.length + 6),
                received_at: at(r * EVENT_COLUMNS.length + 7),
                duplicate_count: 0,
                last_duplicate_at: null,
                raw_payload: at(r * EVENT_COLUMNS.length + 8),
              })),
            )
            .onConflict((oc) => oc.column('metadata_id').doNothing())
            .returning(['seq', 'metadata_id']),
        ),
      ),
    insertTimeline: (rows) =>
      cached(timeline, rows, () =>
        preparePositionalQuery(db, (k, at) =>
          k
            .insertInto('timeline')
            .values(
              Array.from({ length: rows }, (_, r) =>
                Object.fromEntries(TIMELINE_COLUMNS.map((c, i) => [c, at(r * TIMELINE_COLUMNS.length + i)])),
              ) as never,
            ),
        ),
      ),
    upsertDisbursements: (rows) =>
      cached(upserts, rows, () =>
        preparePositionalQuery(db, (k, at) =>
          k
            .insertInto('disbursements')
            .values(
              Array.from({ length: rows }, (_, r) =>
                Object.fromEntries(DISBURSEMENT_COLUMNS.map((c, i) => [c, at(r * DISBURSEMENT_COLUMNS.length + i)])),
              ) as never,
            )
            .onConflict((oc) =>
              // A multi-row upsert is the one portable "update many rows to different values" statement.
              oc.column('id').doUpdateSet((eb) => ({
                notification_id: eb.ref('excluded.notification_id'),
                status: eb.ref('excluded.status'),
                lifecycle_state: eb.ref('excluded.lifecycle_state'),
                on_hold: eb.ref('excluded.on_hold'),
                furthest_rank: eb.ref('excluded.furthest_rank'),
                funded_at: eb.ref('excluded.funded_at'),
                time_to_fund_ms: eb.ref('excluded.time_to_fund_ms'),
                last_event_at: eb.ref('excluded.last_event_at'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            ),
        ),
      ),
  };
  caches.set(database, queries);
  return queries;
}
