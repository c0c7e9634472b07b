import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';

/** One timeline row for a local outcome that moves no status through the reducer (no webhook behind it). */
export interface LocalTimelineEntry {
  disbursement_id: string;
  at: number;
  kind:
    | 'created'
    | 'stage_retry'
    | 'stage_failed'
    | 'cancel_refused'
    | 'cancel_failed'
    | 'check_voided'
    | 'check_stopped'
    | 'check_action_refused'
    | 'check_action_failed';
  status_before: string | null;
  status_after: string;
  detail: Record<string, unknown>;
}

export async function appendLocalTimeline(db: Kysely<DatabaseSchema>, entry: LocalTimelineEntry): Promise<void> {
  await db
    .insertInto('timeline')
    .values({ ...entry, event_seq: null, detail: JSON.stringify(entry.detail) })
    .execute();
}
