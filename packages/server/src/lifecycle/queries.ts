import type { Database } from '../db/connection.js';
import { type PreparedQuery, prepareQuery } from '../db/prepared-query.js';
import type { DisbursementRow } from '../db/schema.js';

// The statements of single-disbursement lifecycle updates (stage and cancel outcomes, orphans), prepared
// once per database (see db/prepared-query.ts). Row locks (FOR UPDATE) exist only on PostgreSQL; SQLite
// serializes writers itself.

export interface LifecycleQueries {
  lockById: PreparedQuery<'value', DisbursementRow>;
  insertTimeline: PreparedQuery<
    'disbursement_id' | 'at' | 'kind' | 'event_seq' | 'status_before' | 'status_after' | 'detail',
    unknown
  >;
  updateLifecycle: PreparedQuery<
    | 'id'
    | 'notification_id'
    | 'status'
    | 'lifecycle_state'
    | 'on_hold'
    | 'furthest_rank'
    | 'funded_at'
    | 'time_to_fund_ms'
    | 'last_event_at'
    | 'updated_at',
    unknown
  >;
}

const cache = new WeakMap<Database, LifecycleQueries>();

export function lifecycleQueries(database: Database): LifecycleQueries {
  const cached = cache.get(database);
  if (cached) return cached;
  const { db, dialect } = database;
  const queries: LifecycleQueries = {
    lockById: prepareQuery<'value', DisbursementRow>(db, (k, p) => {
      const query = k.selectFrom('disbursements').selectAll().where('id', '=', p('value'));
      return dialect === 'postgres' ? query.forUpdate() : query;
    }),
    insertTimeline: prepareQuery(db, (k, p) =>
      k.insertInto('timeline').values({
        disbursement_id: p('disbursement_id'),
        at: p('at'),
        kind: p('kind'),
        event_seq: p('event_seq'),
        status_before: p('status_before'),
        status_after: p('status_after'),
        detail: p('detail'),
      }),
    ),
    updateLifecycle: prepareQuery(db, (k, p) =>
      k
        .updateTable('disbursements')
        .set({
          notification_id: p('notification_id'),
          status: p('status'),
          lifecycle_state: p('lifecycle_state'),
          on_hold: p('on_hold'),
          furthest_rank: p('furthest_rank'),
          funded_at: p('funded_at'),
          time_to_fund_ms: p('time_to_fund_ms'),
          last_event_at: p('last_event_at'),
          updated_at: p('updated_at'),
        })
        .where('id', '=', p('id')),
    ),
  };
  cache.set(database, queries);
  return queries;
}
