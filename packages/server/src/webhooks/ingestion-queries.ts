import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from '../db/connection.js';
import { type PreparedPositionalQuery, preparePositionalQuery } from '../db/prepared-query.js';
import type { DisbursementRow } from '../db/schema.js';

// The multi-row statements of group ingestion, prepared once per row count (groups are 1–256 webhooks,
// so at most a few hundred shapes) instead of being rebuilt and recompiled for every group.

const EVENT_COLUMNS = [
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

const TIMELINE_COLUMNS = [
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
  'managed_parties',
] as const satisfies readonly (keyof DisbursementRow)[];

type Cache<R> = Map<number, PreparedPositionalQuery<R>>;

/** Prepared statements per (row count, changed groups); a group has at most 256 rows. */
const upsertKey = (rows: number, changed: number): number => rows * 8 + changed;

export interface GroupIngestionQueries {
  insertEvents(rows: number): PreparedPositionalQuery<{ seq: number; metadata_id: string }>;
  insertTimeline(rows: number): PreparedPositionalQuery<unknown>;
  /** `changed`: a bitmask of {@link DISBURSEMENT_UPDATE_GROUPS} written besides the always-written columns. */
  upsertDisbursements(rows: number, changed: number): PreparedPositionalQuery<unknown>;
}

// Every event rewrites the reducer state and the timestamps. The other columns are written only when
// some row of the statement changed them: an indexed column in the SET list makes SQLite rewrite that
// index entry even when the value is the same, and each rewritten index page is another WAL frame
// written and fsynced (measured: ~20 % of the frames of a group, most events change no status).
const ALWAYS_UPDATED = ['lifecycle_state', 'last_event_at', 'updated_at'] as const;
const DISBURSEMENT_UPDATE_GROUPS = [
  ['status', 'furthest_rank', 'on_hold'],
  ['notification_id'],
  ['funded_at', 'time_to_fund_ms'],
] as const satisfies readonly (readonly (keyof DisbursementRow)[])[];

/** Which update groups differ between the stored row and the reduced one (bitmask). */
export function changedUpdateGroups(before: DisbursementRow, after: DisbursementRow): number {
  let mask = 0;
  DISBURSEMENT_UPDATE_GROUPS.forEach((columns, bit) => {
    if (columns.some((c) => before[c] !== after[c])) mask |= 1 << bit;
  });
  return mask;
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
    upsertDisbursements: (rows, changed) =>
      cached(upserts, upsertKey(rows, changed), () =>
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
              oc
                .column('id')
                .doUpdateSet(
                  (eb) =>
                    Object.fromEntries(
                      [
                        ...ALWAYS_UPDATED,
                        ...DISBURSEMENT_UPDATE_GROUPS.flatMap((columns, bit) => (changed & (1 << bit) ? columns : [])),
                      ].map((c) => [c, eb.ref(`excluded.${c}`)]),
                    ) as never,
                ),
            ),
        ),
      ),
  };
  caches.set(database, queries);
  return queries;
}

// SQLite: the same reads and writes as raw better-sqlite3 statements, prepared once per connection.
// Measured per webhook (30-webhook groups replayed): the lock select materialized as 22-property row
// objects cost ≈ 7.5 µs per row, as arrays turned into fixed-shape objects ≈ 4; one UPDATE per row
// costs ≈ 6 µs less than its share of the multi-row upsert (no insert attempt and conflict). The
// statements' SQL is fixed (json_each for the variable lists), so each is compiled once.

export interface SqliteGroupStatements {
  /** The rows named by notification_id or participant_unique_id1, in id order. */
  selectNamed(notificationIds: readonly string[], puids: readonly string[]): DisbursementRow[];
  /** Writes a reduced row back: the always-written columns and the update groups in `changed`. */
  update(row: DisbursementRow, changed: number): void;
}

function rowFromValues(values: readonly unknown[]): DisbursementRow {
  // One object literal with every key in a fixed order, so all rows share one hidden class.
  const v = values as never[];
  return {
    id: v[0]!,
    participant_id: v[1]!,
    participant_unique_id1: v[2]!,
    participant_unique_id2: v[3]!,
    tracer_id: v[4]!,
    notification_id: v[5]!,
    amount_cents: v[6]!,
    status: v[7]!,
    furthest_rank: v[8]!,
    recipient_name: v[9]!,
    recipient_name_search: v[10]!,
    lifecycle_state: v[11]!,
    on_hold: v[12]!,
    ingo_status: v[13]!,
    failure_code: v[14]!,
    failure_message: v[15]!,
    created_at: v[16]!,
    updated_at: v[17]!,
    staged_at: v[18]!,
    funded_at: v[19]!,
    time_to_fund_ms: v[20]!,
    last_event_at: v[21]!,
    managed_parties: v[22]!,
  };
}

const sqliteCaches = new WeakMap<BetterSqlite3.Database, SqliteGroupStatements>();

export function sqliteGroupStatements(sqlite: BetterSqlite3.Database): SqliteGroupStatements {
  const existing = sqliteCaches.get(sqlite);
  if (existing) return existing;
  const select = sqlite
    .prepare(
      `select ${DISBURSEMENT_COLUMNS.join(', ')} from disbursements ` +
        'where notification_id in (select value from json_each(?)) ' +
        'or participant_unique_id1 in (select value from json_each(?)) order by id',
    )
    .raw(true);
  const updates = new Map<number, { statement: BetterSqlite3.Statement; columns: (keyof DisbursementRow)[] }>();
  const statements: SqliteGroupStatements = {
    selectNamed(notificationIds, puids) {
      const rows = select.all(JSON.stringify(notificationIds), JSON.stringify(puids)) as unknown[][];
      return rows.map(rowFromValues);
    },
    update(row, changed) {
      let entry = updates.get(changed);
      if (entry === undefined) {
        const columns: (keyof DisbursementRow)[] = [
          ...ALWAYS_UPDATED,
          ...DISBURSEMENT_UPDATE_GROUPS.flatMap((group, bit) => (changed & (1 << bit) ? group : [])),
        ];
        const statement = sqlite.prepare(
          `update disbursements set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ?`,
        );
        entry = { statement, columns };
        updates.set(changed, entry);
      }
      const params: unknown[] = entry.columns.map((c) => row[c]);
      params.push(row.id);
      entry.statement.run(params);
    },
  };
  sqliteCaches.set(sqlite, statements);
  return statements;
}
