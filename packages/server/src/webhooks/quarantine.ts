import { createHash } from 'node:crypto';
import type { IngoWebhookEvent } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { decodeCursor, pageOf } from '../http/pagination-cursor.js';
import { listQuarantineQuery } from '../http/query-schemas.js';
import { parseQuery, toLimit } from '../http/request-parsing.js';

// A verified webhook whose identifiers cannot be stored as an event — a NUL (PostgreSQL refuses it in
// text), or more than fits one index entry (PostgreSQL's btree limit is ~2.7 KB) — could never be
// committed, and a 503 would make Ingo retry it for its whole schedule. It is kept here instead, raw
// body intact, listed by `GET /api/v1/quarantine` and acknowledged. The same rule on both databases.

/** The longest identifier (UTF-8 bytes) stored in an indexed column; far above any id Ingo sends. */
export const MAX_IDENTIFIER_BYTES = 1000;

/** Why this event cannot be stored as an event, or undefined when it can. */
export function unstorableReason(event: IngoWebhookEvent): string | undefined {
  const fields: [string, string][] = [
    ['metadata.id', event.id],
    ['metadata.topic', event.topic],
    ['notification_id', event.notificationId],
    ['participant_unique_id1', event.participantUniqueId1],
  ];
  for (const [name, value] of fields) {
    if (value.includes('\u0000')) return `${name} contains a NUL character`;
    if (Buffer.byteLength(value, 'utf8') > MAX_IDENTIFIER_BYTES) {
      return `${name} is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
    }
  }
  return undefined;
}

/** Keeps the raw body (once per distinct body); true when it was not kept before. */
export async function quarantine(
  db: Kysely<DatabaseSchema>,
  webhook: { rawBody: string; reason: string; receivedAt: number },
): Promise<boolean> {
  const inserted = await db
    .insertInto('quarantined_webhooks')
    .values({
      body_sha256: createHash('sha256').update(webhook.rawBody, 'utf8').digest('hex'),
      reason: webhook.reason,
      received_at: webhook.receivedAt,
      raw_payload: webhook.rawBody,
    })
    .onConflict((oc) => oc.column('body_sha256').doNothing())
    .returning('seq')
    .executeTakeFirst();
  return inserted !== undefined;
}

export function registerQuarantineRoutes(api: FastifyInstance, db: Kysely<DatabaseSchema>): void {
  api.get('/quarantine', async (request) => {
    const q = parseQuery(listQuarantineQuery, request);
    const limit = toLimit(q.limit);
    let query = db.selectFrom('quarantined_webhooks').selectAll();
    if (q.cursor !== undefined) {
      const [seq] = decodeCursor(q.cursor, ['number'] as const);
      query = query.where('seq', '<', seq);
    }
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    return pageOf(
      rows,
      limit,
      (row) => ({
        seq: row.seq,
        reason: row.reason,
        received_at: new Date(row.received_at).toISOString(),
        raw_payload: row.raw_payload,
      }),
      (last) => [last.seq],
    );
  });
}
