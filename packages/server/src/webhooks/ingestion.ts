import { classifyTopic, type IngoWebhookEvent } from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { DatabaseSchema, DisbursementRow } from '../db/schema.js';
import { type EventToApply, reduceRow, type TimelineInsert } from '../lifecycle/apply.js';
import { owningDisbursement } from '../lifecycle/orphans.js';
import type { AppliedTransition } from '../lifecycle/transitions.js';
import {
  changedUpdateGroups,
  DISBURSEMENT_COLUMNS,
  groupIngestionQueries,
  sqliteGroupStatements,
} from './ingestion-queries.js';

// Ingestion of a group of verified webhooks in one transaction, set-based: one statement locks every
// disbursement the group names, one inserts the inbox rows, one appends the timeline, one writes the
// disbursements back. The reducer runs in memory in between, in arrival order, exactly as if the
// events had been applied one by one. On PostgreSQL this turns ~4 round trips per webhook into ~5
// per group; on SQLite it removes most per-statement overhead.

export interface VerifiedWebhook {
  event: IngoWebhookEvent;
  /** The body exactly as received; stored verbatim. */
  rawBody: string;
  receivedAt: number;
}

export type IngestOutcome = 'applied' | 'duplicate' | 'orphan';

/**
 * A date that does not fit: more than the tolerance after its arrival (`future`), or before its payout
 * was created here (`before_staged`). Still applied — deduplication on metadata.id is the replay
 * protection, and retries legitimately resend old events — but flagged on the timeline and counted.
 */
export type TimestampFlag = 'future' | 'before_staged';

export interface IngestOptions {
  /** How far an event's date may stray (clock skew, Ingo's whole-second timestamps) before it is flagged. */
  timestampToleranceMs: number;
}

export const DEFAULT_TIMESTAMP_TOLERANCE_MS = 300_000;

function timestampFlag(
  item: VerifiedWebhook,
  createdAt: number | undefined,
  toleranceMs: number,
): TimestampFlag | undefined {
  const at = item.event.occurredAt?.getTime();
  if (at === undefined || Number.isNaN(at)) return undefined;
  if (at > item.receivedAt + toleranceMs) return 'future';
  if (createdAt !== undefined && at < createdAt - toleranceMs) return 'before_staged';
  return undefined;
}

export interface IngestResult {
  outcome: IngestOutcome;
  /** Set on a first delivery whose date does not fit (see TimestampFlag). */
  timestampFlag?: TimestampFlag | undefined;
  eventSeq: number | undefined;
  disbursementId: string | undefined;
  classification: string;
  transitions: AppliedTransition[];
}

/** What the timeline and filters call a topic: the status it leads to, or its effect kind. */
function classificationOf(topic: string): string {
  const c = classifyTopic(topic);
  return c.effect === 'status' && c.status !== undefined ? c.status : c.effect;
}

const nonEmpty = (value: string): string | null => (value === '' ? null : value);

/** Locks (PostgreSQL: FOR UPDATE, in id order so concurrent groups cannot deadlock) every row named. */
async function lockNamedDisbursements(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  notificationIds: string[],
  puids: string[],
): Promise<DisbursementRow[]> {
  if (notificationIds.length === 0 && puids.length === 0) return [];
  if (database.sqlite) return sqliteGroupStatements(database.sqlite).selectNamed(notificationIds, puids);
  let query = trx
    .selectFrom('disbursements')
    .selectAll()
    .where((eb) =>
      eb.or([
        ...(notificationIds.length > 0 ? [eb('notification_id', 'in', notificationIds)] : []),
        ...(puids.length > 0 ? [eb('participant_unique_id1', 'in', puids)] : []),
      ]),
    )
    .orderBy('id');
  if (database.dialect === 'postgres') query = query.forUpdate();
  return query.execute();
}

async function ingestGroup(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  items: readonly VerifiedWebhook[],
  options: IngestOptions,
): Promise<IngestResult[]> {
  const keys = items.map((item) => ({
    notificationId: nonEmpty(item.event.notificationId),
    puid1: nonEmpty(item.event.participantUniqueId1),
    classification: classificationOf(item.event.topic),
  }));
  const rows = await lockNamedDisbursements(
    trx,
    database,
    [...new Set(keys.map((k) => k.notificationId).filter((x): x is string => x !== null))],
    [...new Set(keys.map((k) => k.puid1).filter((x): x is string => x !== null))],
  );
  const storedById = new Map(rows.map((r) => [r.id, r]));
  const byId = new Map(storedById);
  const byNotificationId = new Map(
    rows.filter((r) => r.notification_id !== null).map((r) => [r.notification_id!, r.id]),
  );
  const byPuid1 = new Map(rows.map((r) => [r.participant_unique_id1, r.id]));

  // Targets in arrival order; a row may learn its notification_id from an earlier event of the group
  // (a webhook that beat the stage response back).
  const targets = keys.map((key) => {
    const byNotification = key.notificationId === null ? undefined : byNotificationId.get(key.notificationId);
    const byPuid = key.puid1 === null ? undefined : byPuid1.get(key.puid1);
    const row = owningDisbursement(
      key,
      byNotification === undefined ? undefined : byId.get(byNotification),
      byPuid === undefined ? undefined : byId.get(byPuid),
    );
    if (row !== undefined && row.notification_id === null && key.notificationId !== null) {
      byId.set(row.id, { ...row, notification_id: key.notificationId });
      byNotificationId.set(key.notificationId, row.id);
    }
    return row?.id;
  });

  const queries = groupIngestionQueries(database);
  const eventValues: unknown[] = [];
  items.forEach((item, i) => {
    eventValues.push(
      item.event.id,
      item.event.topic,
      keys[i]!.classification,
      keys[i]!.notificationId,
      keys[i]!.puid1,
      targets[i] ?? null,
      item.event.occurredAt?.getTime() ?? null,
      item.receivedAt,
      item.rawBody,
    );
  });
  const inserted = await queries.insertEvents(items.length).execute(trx, eventValues);
  const seqOf = new Map(inserted.map((r) => [r.metadata_id, r.seq]));

  // The first occurrence of an id in the group is the one inserted; any other is a redelivery.
  const firstIndex = new Map<string, number>();
  items.forEach((item, i) => {
    if (!firstIndex.has(item.event.id)) firstIndex.set(item.event.id, i);
  });
  const isNew = items.map((item, i) => seqOf.has(item.event.id) && firstIndex.get(item.event.id) === i);

  const duplicates = new Map<string, { count: number; at: number }>();
  items.forEach((item, i) => {
    if (isNew[i]) return;
    const d = duplicates.get(item.event.id) ?? { count: 0, at: item.receivedAt };
    d.count += 1;
    d.at = Math.max(d.at, item.receivedAt);
    duplicates.set(item.event.id, d);
  });
  for (const [metadataId, { count, at }] of duplicates) {
    await trx
      .updateTable('events')
      .set((eb) => ({ duplicate_count: eb('duplicate_count', '+', count), last_duplicate_at: at }))
      .where('metadata_id', '=', metadataId)
      .execute();
  }

  const flags = items.map((item, i) => {
    const target = targets[i];
    if (!isNew[i]) return undefined;
    return timestampFlag(
      item,
      target === undefined ? undefined : byId.get(target)?.created_at,
      options.timestampToleranceMs,
    );
  });

  // The reducer, per disbursement, in arrival order.
  const perDisbursement = new Map<string, { events: EventToApply[]; indexes: number[] }>();
  items.forEach((item, i) => {
    const target = targets[i];
    if (!isNew[i] || target === undefined) return;
    const entry = perDisbursement.get(target) ?? { events: [], indexes: [] };
    const flag = flags[i];
    entry.events.push({
      event: item.event,
      eventSeq: seqOf.get(item.event.id),
      kind: 'event',
      detail: flag === undefined ? { topic: item.event.topic } : { topic: item.event.topic, timestamp_flag: flag },
    });
    entry.indexes.push(i);
    perDisbursement.set(target, entry);
  });
  const now = Math.max(...items.map((item) => item.receivedAt));
  const timeline: TimelineInsert[] = [];
  const updatedRows: DisbursementRow[] = [];
  const transitionsOf = new Map<number, AppliedTransition[]>();
  for (const [id, { events, indexes }] of perDisbursement) {
    const reduced = reduceRow(byId.get(id)!, events, now);
    timeline.push(...reduced.timeline);
    updatedRows.push(reduced.row);
    indexes.forEach((itemIndex, k) => {
      transitionsOf.set(itemIndex, [reduced.transitions[k]!]);
    });
  }
  if (timeline.length > 0) {
    const values: unknown[] = [];
    for (const t of timeline) {
      values.push(
        t.disbursement_id,
        t.at,
        t.kind,
        t.event_seq ?? null,
        t.status_before ?? null,
        t.status_after ?? null,
        t.detail ?? null,
      );
    }
    await queries.insertTimeline(timeline.length).execute(trx, values);
  }
  if (database.sqlite) {
    const statements = sqliteGroupStatements(database.sqlite);
    for (const row of updatedRows) statements.update(row, changedUpdateGroups(storedById.get(row.id)!, row));
    return resultsOf(items, keys, isNew, seqOf, targets, transitionsOf, flags);
  }
  // PostgreSQL: one multi-row upsert per combination of changed column groups (usually one or two per
  // group), one round trip instead of one per row.
  const byChanges = new Map<number, DisbursementRow[]>();
  for (const row of updatedRows) {
    const changed = changedUpdateGroups(storedById.get(row.id)!, row);
    const list = byChanges.get(changed) ?? [];
    list.push(row);
    byChanges.set(changed, list);
  }
  for (const [changed, list] of byChanges) {
    const values: unknown[] = [];
    for (const row of list) for (const column of DISBURSEMENT_COLUMNS) values.push(row[column]);
    await queries.upsertDisbursements(list.length, changed).execute(trx, values);
  }

  return resultsOf(items, keys, isNew, seqOf, targets, transitionsOf, flags);
}

function resultsOf(
  items: readonly VerifiedWebhook[],
  keys: readonly { classification: string }[],
  isNew: readonly boolean[],
  seqOf: ReadonlyMap<string, number>,
  targets: readonly (string | undefined)[],
  transitionsOf: ReadonlyMap<number, AppliedTransition[]>,
  flags: readonly (TimestampFlag | undefined)[],
): IngestResult[] {
  return items.map((item, i) => {
    const timestampFlag = flags[i];
    const classification = keys[i]!.classification;
    if (!isNew[i])
      return { outcome: 'duplicate', eventSeq: undefined, disbursementId: undefined, classification, transitions: [] };
    const seq = seqOf.get(item.event.id);
    const target = targets[i];
    if (target === undefined)
      return {
        outcome: 'orphan',
        timestampFlag,
        eventSeq: seq,
        disbursementId: undefined,
        classification,
        transitions: [],
      };
    return {
      outcome: 'applied',
      timestampFlag,
      eventSeq: seq,
      disbursementId: target,
      classification,
      transitions: transitionsOf.get(i) ?? [],
    };
  });
}

/** Commits a group of verified webhooks in one transaction (see GroupCommitQueue). */
export function createWebhookBatchProcessor(
  database: Database,
  options: IngestOptions = { timestampToleranceMs: DEFAULT_TIMESTAMP_TOLERANCE_MS },
) {
  return async (items: readonly VerifiedWebhook[]): Promise<IngestResult[]> =>
    database.db.transaction().execute((trx) => ingestGroup(trx, database, items, options));
}
