import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { decodeCursor, pageOf } from '../http/pagination-cursor.js';
import { listEventsQuery } from '../http/query-schemas.js';
import { parseQuery, toLimit } from '../http/request-parsing.js';
import { eventView } from '../http/views.js';

// The webhook inbox as the API shows it: `GET /api/v1/events`, newest first.

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

export function registerInboxRoutes(api: FastifyInstance, db: Kysely<DatabaseSchema>): void {
  api.get('/events', async (request) => {
    const q = parseQuery(listEventsQuery, request);
    return listEvents(db, {
      topic: q.topic,
      notificationId: q.notification_id,
      disbursementId: q.disbursement_id,
      orphan: q.orphan === undefined ? undefined : q.orphan === 'true',
      limit: toLimit(q.limit),
      cursor: q.cursor,
    });
  });
}
