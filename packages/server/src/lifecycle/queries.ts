import type { Database } from '../db/connection.js';
import { type PreparedQuery, prepareQuery } from '../db/prepared-query.js';
import type { DisbursementRow } from '../http/views.js';

// The statements of the webhook hot path, prepared once per database (see db/prepared-query.ts).
// Row locks (FOR UPDATE) exist only on PostgreSQL; SQLite serializes writers itself.

export interface LifecycleQueries {
  lockById: PreparedQuery<'value', DisbursementRow>;
  lockByNotificationId: PreparedQuery<'value', DisbursementRow>;
  lockByParticipantUniqueId1: PreparedQuery<'value', DisbursementRow>;
  insertEvent: PreparedQuery<
    | 'metadata_id'
    | 'topic'
    | 'classification'
    | 'notification_id'
    | 'participant_unique_id1'
    | 'disbursement_id'
    | 'event_timestamp'
    | 'received_at'
    | 'raw_payload',
    { seq: number }
  >;
  countDuplicate: PreparedQuery<'metadata_id' | 'at', unknown>;
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
  const lockBy = (column: 'id' | 'notification_id' | 'participant_unique_id1') =>
    prepareQuery<'value', DisbursementRow>(db, (k, p) => {
      const query = k.selectFrom('disbursements').selectAll().where(column, '=', p('value'));
      return dialect === 'postgres' ? query.forUpdate() : query;
    });
  const queries: LifecycleQueries = {
    lockById: lockBy('id'),
    lockByNotificationId: lockBy('notification_id'),
    lockByParticipantUniqueId1: lockBy('participant_unique_id1'),
    insertEvent: prepareQuery(db, (k, p) =>
      k
        .insertInto('events')
        .values({
          metadata_id: p('metadata_id'),
          topic: p('topic'),
          classification: p('classification'),
          notification_id: p('notification_id'),
          participant_unique_id1: p('participant_unique_id1'),
          disbursement_id: p('disbursement_id'),
          event_timestamp: p('event_timestamp'),
          received_at: p('received_at'),
          duplicate_count: 0,
          last_duplicate_at: null,
          raw_payload: p('raw_payload'),
        })
        .onConflict((oc) => oc.column('metadata_id').doNothing())
        .returning('seq'),
    ),
    countDuplicate: prepareQuery(db, (k, p) =>
      k
        .updateTable('events')
        .set((eb) => ({ duplicate_count: eb('duplicate_count', '+', 1), last_duplicate_at: p('at') }))
        .where('metadata_id', '=', p('metadata_id')),
    ),
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
