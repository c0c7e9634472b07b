// Group ingestion without HTTP: seeds 2,000 disbursements in a fresh SQLite database (WAL,
// synchronous=FULL, as the server opens it) and commits pre-built groups of verified webhooks straight
// through the batch processor. Steadier than the end-to-end benchmark on a shared machine, and it can
// count WAL frames per group (FRAMES=1: checkpoints off while measuring), the cost that dominates a
// commit. Run after `npx tsc -b packages/server`; under `node --cpu-prof` for a profile.
// Env: G (webhooks per group, 30), GROUPS (1,500; the first 200 warm up), DROP (comma-separated index
// names dropped after migrating, to measure what an index costs), FRAMES.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialState, parseWebhookEvent } from '@notifykit/sdk';
import { sql } from 'kysely';
import { openDatabase } from '../dist/db/connection.js';
import { migrateToLatest } from '../dist/db/migrations.js';
import { createWebhookBatchProcessor } from '../dist/webhooks/ingestion.js';

const DISBURSEMENTS = 2000;
const G = Number(process.env.G ?? 30);
const GROUPS = Number(process.env.GROUPS ?? 1500);
const WARM_UP = 200;
const TOPICS = [
  ['transaction.recipient.notification.status.sent', '1200'],
  ['transaction.recipient.notification.status.received', '1201'],
  ['transaction.recipient.authentication.status.success', '1100'],
  ['transaction.account.tokenization.success', '100'],
  ['transaction.recipient.payment.status.success', '1125'],
];

const dir = mkdtempSync(join(tmpdir(), 'notifykit-replay-'));
const database = openDatabase(`sqlite:${join(dir, 'replay.db')}`);
try {
  await migrateToLatest(database.db, 'sqlite');
  for (const index of (process.env.DROP ?? '').split(',').filter(Boolean)) {
    await sql`drop index ${sql.id(index)}`.execute(database.db);
  }
  const now = Date.now();
  const rows = Array.from({ length: DISBURSEMENTS }, (_, i) => ({
    id: `d-${i}`,
    participant_id: 1,
    participant_unique_id1: `p-${i}`,
    participant_unique_id2: null,
    tracer_id: `t-${i}`,
    notification_id: null,
    amount_cents: 1000,
    status: 'pending',
    furthest_rank: 0,
    recipient_name: 'Replay Recipient',
    recipient_name_search: 'replay recipient',
    lifecycle_state: JSON.stringify(initialState()),
    on_hold: 0,
    ingo_status: null,
    failure_code: null,
    failure_message: null,
    created_at: now,
    updated_at: now,
    staged_at: null,
    funded_at: null,
    time_to_fund_ms: null,
    last_event_at: null,
  }));
  for (let i = 0; i < DISBURSEMENTS; i += 100) {
    await database.db
      .insertInto('disbursements')
      .values(rows.slice(i, i + 100))
      .execute();
  }
  let n = 0;
  const webhook = () => {
    n += 1;
    const [topic, status] = TOPICS[n % TOPICS.length];
    const rawBody = JSON.stringify({
      // Ids in no particular order, like Ingo's: the unique index takes random pages.
      metadata: { id: `ev-${(n * 2654435761) % 1e9}-${n}`, timestamp: 1_750_000_000 + n, topic, version: '3' },
      data: {
        ancillary: {
          participant_unique_id1: `p-${(n * 7919) % DISBURSEMENTS}`,
          participant_unique_id2: '',
          notification_id: '',
          session_id: '',
        },
        event: { status, client_message: 'Success' },
      },
    });
    return { event: parseWebhookEvent(rawBody), rawBody, receivedAt: Date.now() };
  };
  const groups = Array.from({ length: GROUPS }, () => Array.from({ length: G }, webhook));
  const process_ = createWebhookBatchProcessor(database);
  for (const group of groups.slice(0, WARM_UP)) await process_(group);
  if (process.env.FRAMES) {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(database.db);
    await sql`pragma wal_autocheckpoint = 0`.execute(database.db);
  }
  const startedAt = performance.now();
  for (const group of groups.slice(WARM_UP)) await process_(group);
  const ms = performance.now() - startedAt;
  const measured = GROUPS - WARM_UP;
  let frames = '';
  if (process.env.FRAMES) {
    const { rows: wal } = await sql`pragma wal_checkpoint(PASSIVE)`.execute(database.db);
    frames = `, ${(wal[0].log / measured).toFixed(1)} WAL frames/group`;
  }
  console.log(
    `${((ms * 1000) / (measured * G)).toFixed(1)} µs/webhook, ${(ms / measured).toFixed(2)} ms/group of ${G}${frames}`,
  );
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
