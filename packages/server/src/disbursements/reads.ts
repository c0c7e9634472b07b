import { type ManagedStageRequest, REDACTED, redact } from '@notifykit/sdk';
import { type Kysely, sql } from 'kysely';
import type { FieldCipher } from '../db/field-encryption.js';
import type { DatabaseSchema, DisbursementRow } from '../db/schema.js';
import { isManagedRequest, loadStageRequest, type StoredStageRequest } from '../db/stored-request.js';
import { DisbursementNotFound, InvalidRequest } from '../errors.js';
import { decodeCursor, pageOf } from '../http/pagination-cursor.js';
import type { ListSort } from '../http/query-schemas.js';
import { disbursementDetailView, disbursementView, type OutboxState } from '../http/views.js';
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
  /** `approvals`: Managed payouts waiting at the approval gate (pmt-suspended, approvals.complete not yet in). */
  hold?: 'approvals' | 'ofac' | undefined;
  sort?: ListSort | undefined;
  limit: number;
  cursor?: string | undefined;
}

const SORT_COLUMNS = { created_at: 'created_at', updated_at: 'updated_at', amount: 'amount_cents' } as const;

function cursorKey(cursor: string, sort: ListSort): readonly [number, string] {
  if (sort === '-created_at') return decodeCursor(cursor, ['number', 'string'] as const);
  const [value, id, from] = decodeCursor(cursor, ['number', 'string', 'string'] as const);
  if (from !== sort) throw new InvalidRequest('invalid_cursor', `cursor belongs to sort=${from}, not sort=${sort}`);
  return [value, id];
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Newest first unless `sort` says otherwise, keyset-paginated on (column, id); every filter is a sargable predicate. */
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
  if (f.hold !== undefined) {
    // The hold's reason lives in the reducer's JSON state (`holds.<reason>: "open"`); `on_hold` narrows first.
    const reason = `%"${f.hold}":"open"%`;
    query = query.where('on_hold', '=', 1).where('lifecycle_state', 'like', reason);
  }
  const sort = f.sort ?? '-created_at';
  const descending = sort.startsWith('-');
  const column = SORT_COLUMNS[sort.replace(/^-/, '') as keyof typeof SORT_COLUMNS];
  if (f.cursor !== undefined) {
    const [value, id] = cursorKey(f.cursor, sort);
    query = query.where((eb) => eb(eb.refTuple(column, 'id'), descending ? '<' : '>', eb.tuple(value, id)));
  }
  const direction = descending ? 'desc' : 'asc';
  const rows = await query
    .orderBy(column, direction)
    .orderBy('id', direction)
    .limit(f.limit + 1)
    .execute();
  // One lookup by primary key for the page, rather than a join the planner could turn into a scan.
  const outbox = await outboxStates(
    db,
    rows.slice(0, f.limit).map((r) => r.id),
  );
  return pageOf(
    rows,
    f.limit,
    (row) => disbursementView(row, outbox.get(row.id)),
    // The default order keeps its original two-part cursor; the others name their order, so a cursor
    // is never read under an order it did not come from.
    (last) => (sort === '-created_at' ? [last.created_at, last.id] : [last[column], last.id, sort]),
  );
}

/** The outbox rows (stage calls still waiting for Ingo) of the given disbursements. */
export async function outboxStates(
  db: Kysely<DatabaseSchema>,
  ids: readonly string[],
): Promise<Map<string, OutboxState>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('outbox')
    .select(['disbursement_id', 'attempts', 'next_attempt_at', 'last_error', 'created_at'])
    .where('disbursement_id', 'in', ids)
    .execute();
  return new Map(rows.map(({ disbursement_id, ...state }) => [disbursement_id, state]));
}

/** The API view of a disbursement just written (create, cancel answers). */
export async function viewOf(db: Kysely<DatabaseSchema>, row: DisbursementRow) {
  return disbursementView(row, (await outboxStates(db, [row.id])).get(row.id));
}

/** Sensitive answers never leave the server, even to an authenticated caller. */
function redactRecords(records: unknown): unknown {
  if (!Array.isArray(records)) return records;
  return records.map((r) =>
    typeof r === 'object' && r !== null && 'client_provided_value' in r ? { ...r, client_provided_value: REDACTED } : r,
  );
}

function classicRequestView(stored: StoredStageRequest | undefined) {
  const request = (stored ?? {}) as Record<string, unknown>;
  return {
    recipient: (request.recipient ?? {}) as Record<string, unknown>,
    redacted: {
      ...request,
      authentication_records: redactRecords(request.authentication_records),
      notification_records: redactRecords(request.notification_records),
    },
  };
}

/** A v4 body: the recipient is the role-0 party (contact data, never its authentication values). */
function managedRequestView(request: ManagedStageRequest) {
  const recipient = request.transaction_parties.find((p) => p.settings.role === 0);
  return {
    recipient: {
      ...recipient?.name_personal,
      ...recipient?.contact_telcom,
      ...(recipient?.contact_address === undefined ? {} : { address: recipient.contact_address }),
    },
    redacted: redact(request) as Record<string, unknown>,
  };
}

/**
 * The detail is read from one snapshot (a repeatable-read transaction on PostgreSQL; SQLite's read
 * transaction is one already): read statement by statement, a webhook committed between the row and its
 * timeline showed the new event in the timeline beside the state from before it.
 */
export async function getDisbursementDetail(db: Kysely<DatabaseSchema>, cipher: FieldCipher, id: string) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => readDisbursementDetail(trx, cipher, id));
}

async function readDisbursementDetail(db: Kysely<DatabaseSchema>, cipher: FieldCipher, id: string) {
  const row = await db.selectFrom('disbursements').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DisbursementNotFound(id);
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
  const stored = await loadStageRequest(db, cipher, row.id);
  const outbox = await outboxStates(db, [row.id]);
  return disbursementDetailView(
    row,
    outbox.get(row.id),
    stored !== undefined && isManagedRequest(stored) ? managedRequestView(stored) : classicRequestView(stored),
    timeline.map((t) => ({
      seq: t.t_seq,
      at: t.at,
      kind: t.kind,
      status_before: t.status_before,
      status_after: t.status_after,
      detail: t.detail,
      event:
        t.seq === null
          ? null
          : {
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
            },
    })),
  );
}
