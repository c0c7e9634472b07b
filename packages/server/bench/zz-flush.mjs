import { parseWebhookEvent } from '@notifykit/sdk';
import { openDatabase } from '../dist/db/connection.js';
import { migrateToLatest } from '../dist/db/migrations.js';
import { createWebhookBatchProcessor } from '../dist/webhook-ingestion.js';
import { rmSync } from 'node:fs';
for (const f of ['/tmp/flush.db', '/tmp/flush.db-wal', '/tmp/flush.db-shm']) rmSync(f, { force: true });
const database = openDatabase(process.env.DBURL ?? 'sqlite:/tmp/flush.db');
await migrateToLatest(database.db, database.dialect);
const now = Date.now();
const puids = [];
for (let i = 0; i < 2000; i++) {
  const id = `dsb_${i.toString(16).padStart(28, '0')}`; puids.push(`p-${i}`);
  await database.db.insertInto('disbursements').values({ id, participant_id: 1, participant_unique_id1: `p-${i}`, participant_unique_id2: null, tracer_id: 't', notification_id: null, amount_cents: 100, status: 'pending', furthest_rank: 0, recipient_name: 'a', recipient_name_search: 'a', lifecycle_state: '{}', on_hold: 0, ingo_status: null, failure_code: null, failure_message: null, created_at: now, updated_at: now, staged_at: null, funded_at: null, time_to_fund_ms: null, last_event_at: null }).execute();
}
const proc = createWebhookBatchProcessor(database);
const TOP = ['transaction.recipient.notification.status.sent','transaction.recipient.notification.status.received','transaction.recipient.authentication.status.success','transaction.account.tokenization.success','transaction.recipient.payment.status.success'];
let n = 0;
const item = () => { n++; const raw = JSON.stringify({ metadata: { id: 'f-' + n, timestamp: 1750000000 + n, topic: TOP[n % 5], version: '3' }, data: { ancillary: { participant_unique_id1: puids[n % 2000], notification_id: '' }, event: { status: '100' } } }); return { event: parseWebhookEvent(raw), rawBody: raw, receivedAt: Date.now() }; };
for (const size of [1, 28, 50, 50]) {
  const R = 100; const t0 = performance.now();
  for (let r = 0; r < R; r++) await proc(Array.from({ length: size }, item));
  const ms = (performance.now() - t0) / R;
  console.log(`group ${size}: ${ms.toFixed(2)} ms per flush, ${(ms / size * 1000).toFixed(0)} µs per item`);
}
if (globalThis.__t) console.log(Object.fromEntries(Object.entries(globalThis.__t).map(([k, v]) => [k, (v / n * 1000).toFixed(1) + ' µs/item'])));
await database.close();
