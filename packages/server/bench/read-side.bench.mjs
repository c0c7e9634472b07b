// Read side at scale: BENCH_SCALE × 1,000,000 disbursements and 5 events (+ 5 timeline rows) each,
// bulk-loaded into SQLite (secondary indexes dropped during the load and rebuilt from the migration's
// own definitions), then measured through the real server's HTTP API:
//   p95 of the first page of a status filter     target < 20 ms
//   p95 of a disbursement with its timeline      target < 20 ms
//   p95 of /api/v1/stats                         target < 250 ms
//   the dashboard's list orders (sort=-amount, sort=updated_at within a status): p95 of a page 10,000
//     rows deep (reached by its cursor) as a ratio to the first page's, measured in the same run
//     (keyset pagination: target ratio < 2)
//   p95 of the dashboard's /dashboard/overview     target < 400 ms
// Env: BENCH_SCALE (default 1), BENCH_ITERATIONS (default 200 per query; stats 20).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { FieldCipher } from '../dist/db/field-encryption.js';
import { requestContext } from '../dist/db/stored-request.js';
import { percentile, round, SERVER_BIN, spawnListening } from './bench-support.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const DISBURSEMENTS = Math.max(1000, Math.round(SCALE * 1_000_000));
const EVENTS_PER = 5;
const SAMPLE = 500;
/** How deep the deep page of a sorted list is: 10,000 rows at full scale. */
const DEPTH_PAGES = Math.max(1, Math.min(50, Math.floor(DISBURSEMENTS / 20 / 200)));

// Status mix of a live program: most payouts funded, a tail in every other state.
const MIX = [
  ['funded', 0.55, 7],
  ['staged', 0.04, 1],
  ['notified', 0.08, 2],
  ['viewed', 0.06, 3],
  ['authenticated', 0.04, 4],
  ['claimed', 0.03, 5],
  ['approved', 0.03, 6],
  ['failed', 0.06, 4],
  ['canceled', 0.03, 2],
  ['expired', 0.05, 2],
  ['returned', 0.01, 8],
  ['bounced', 0.01, 2],
  ['pending', 0.01, 0],
];
const TOPICS = [
  'transaction.recipient.notification.status.sent',
  'transaction.recipient.notification.status.received',
  'transaction.recipient.authentication.status.success',
  'transaction.account.tokenization.success',
  'transaction.recipient.payment.status.success',
];

function pickStatus(r) {
  let acc = 0;
  for (const [status, weight, rank] of MIX) {
    acc += weight;
    if (r < acc) return [status, rank];
  }
  return ['funded', 7];
}

function seed(file, cipher) {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  const indexes = db
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('disbursements', 'events', 'timeline')",
    )
    .all();
  for (const ix of indexes) db.exec(`drop index ${ix.name}`);
  const insertD =
    db.prepare(`insert into disbursements (id, participant_id, participant_unique_id1, participant_unique_id2,
    tracer_id, notification_id, amount_cents, status, furthest_rank, recipient_name, recipient_name_search, lifecycle_state,
    on_hold, ingo_status, failure_code, failure_message, created_at, updated_at, staged_at, funded_at, time_to_fund_ms, last_event_at)
    values (?, 12345, ?, null, ?, ?, ?, ?, ?, ?, ?, ?, 0, 100, null, null, ?, ?, ?, ?, ?, ?)`);
  const insertE =
    db.prepare(`insert into events (seq, metadata_id, topic, classification, notification_id, participant_unique_id1,
    disbursement_id, event_timestamp, received_at, duplicate_count, last_duplicate_at, raw_payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, null, ?)`);
  const insertT =
    db.prepare(`insert into timeline (disbursement_id, at, kind, event_seq, status_before, status_after, detail)
    values (?, ?, 'event', ?, ?, ?, '{"outcome":"status_changed"}')`);
  const insertR = db.prepare('insert into disbursement_requests (disbursement_id, request_enc) values (?, ?)');
  const start = Date.now() - 365 * 86_400_000;
  const state = JSON.stringify({
    status: 'funded',
    onHold: false,
    holds: { ofac: 'none', approvals: 'none' },
    approvals: {},
    appliedEventIds: [],
  });
  const sampleIds = [];
  let seq = 0;
  const BATCH = 20_000;
  for (let from = 0; from < DISBURSEMENTS; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(DISBURSEMENTS, from + BATCH); i++) {
        const created = start + Math.floor((i / DISBURSEMENTS) * 365 * 86_400_000);
        const id = `dsb_${created.toString(16).padStart(12, '0')}${i.toString(16).padStart(16, '0')}`;
        const [status, rank] = pickStatus(((i * 2654435761) % 1_000_003) / 1_000_003);
        const notificationId = String(1_000_000 + i);
        const puid1 = `seed-${i}`;
        const funded = status === 'funded' || status === 'returned' ? created + 3_600_000 + (i % 86_400) * 1000 : null;
        const name = `Recipient ${i} Example`;
        insertD.run(
          id,
          puid1,
          `trc-${i}`,
          notificationId,
          1000 + (i % 250_000),
          status,
          rank,
          name,
          name.toLowerCase(),
          state,
          created,
          created + 3_600_000,
          created + 1000,
          funded,
          funded === null ? null : funded - created - 1000,
          created + 3_600_000,
        );
        for (let k = 0; k < EVENTS_PER; k++) {
          seq += 1;
          const topic = TOPICS[k];
          const body = `{"metadata":{"id":"seed-${i}-${k}","timestamp":${Math.floor(created / 1000) + k * 60},"topic":"${topic}","version":"3"},"data":{"ancillary":{"participant_unique_id1":"${puid1}","notification_id":"${notificationId}"},"event":{"status":"100","client_message":"Success"}}}`;
          insertE.run(
            seq,
            `seed-${i}-${k}`,
            topic,
            'notified',
            notificationId,
            puid1,
            id,
            created + k * 60_000,
            created + k * 60_000,
            body,
          );
          insertT.run(id, created + k * 60_000, seq, 'staged', status);
        }
        if (i % Math.floor(DISBURSEMENTS / SAMPLE) === 0 && sampleIds.length < SAMPLE) {
          sampleIds.push(id);
          const request = {
            participant_id: 12345,
            amount: '10.00',
            participant_unique_id1: puid1,
            recipient: { first_name: 'Recipient', last_name: String(i), email: `r${i}@example.com` },
          };
          insertR.run(id, cipher.encrypt(JSON.stringify(request), requestContext(id)));
        }
      }
    })();
  }
  for (const ix of indexes) db.exec(ix.sql);
  db.pragma('journal_mode = WAL');
  db.close();
  return sampleIds;
}

async function timeRequests(url, token, paths, iterations, headers = { authorization: `Bearer ${token}` }) {
  const times = [];
  for (let i = 0; i < iterations; i++) {
    const path = paths[i % paths.length];
    const t0 = performance.now();
    const response = await fetch(`${url}${path}`, { headers });
    if (response.status !== 200) throw new Error(`${path} → HTTP ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** The cursor `pages` pages of `limit` into `path`'s order. */
async function deepCursor(url, token, path, pages, limit) {
  let cursor = null;
  for (let i = 0; i < pages; i++) {
    const response = await fetch(`${url}${path}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    cursor = (await response.json()).next_cursor;
    if (cursor === null) throw new Error(`${path}: fewer than ${pages * limit} rows`);
  }
  return cursor;
}

/** The dashboard's session cookie for `token`. */
async function dashboardCookie(url, token) {
  const response = await fetch(`${url}/dashboard/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (response.status !== 201) throw new Error(`dashboard sign-in → HTTP ${response.status}`);
  return response.headers.get('set-cookie').split(';')[0];
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'notifykit-bench-read-'));
  const file = join(dir, 'read.db');
  const key = randomBytes(32).toString('base64');
  const token = `bench-read-token-${randomBytes(6).toString('hex')}`;
  const env = {
    DATABASE_URL: `sqlite:${file}`,
    INGO_BASE_URL: 'http://127.0.0.1:9',
    INGO_USERNAME: 'bench',
    INGO_SECRET: 'bench-ingo-secret',
    INGO_PARTICIPANT_ID: '12345',
    INGO_WEBHOOK_SECRET: 'bench-webhook-secret',
    NOTIFYKIT_API_TOKEN: token,
    NOTIFYKIT_ENCRYPTION_KEY: key,
    LOG_LEVEL: 'error',
  };
  try {
    execFileSync(process.execPath, [SERVER_BIN, 'migrate'], { env: { PATH: process.env.PATH, ...env } });
    const seedStart = performance.now();
    const sample = seed(file, new FieldCipher([Buffer.from(key, 'base64')]));
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const server = await spawnListening([SERVER_BIN, '--port', '0'], env);
    try {
      const statuses = ['funded', 'notified', 'failed', 'claimed', 'expired', 'staged'];
      const lists = statuses.map((s) => `/api/v1/disbursements?status=${s}&limit=50`);
      const details = sample.map((id) => `/api/v1/disbursements/${id}`);
      await timeRequests(server.url, token, [...lists, ...details, '/api/v1/stats'], 20); // warm-up
      const list = await timeRequests(server.url, token, lists, ITERATIONS);
      const detail = await timeRequests(server.url, token, details, ITERATIONS);
      const stats = await timeRequests(server.url, token, ['/api/v1/stats'], Math.max(10, Math.round(ITERATIONS / 10)));
      const orders = ['/api/v1/disbursements?sort=-amount', '/api/v1/disbursements?status=funded&sort=updated_at'];
      const sorted = [];
      for (const path of orders) {
        const deep = `${path}&limit=50&cursor=${await deepCursor(server.url, token, path, DEPTH_PAGES, 200)}`;
        await timeRequests(server.url, token, [`${path}&limit=50`, deep], 20); // warm-up
        const first = await timeRequests(server.url, token, [`${path}&limit=50`], ITERATIONS);
        const deeper = await timeRequests(server.url, token, [deep], ITERATIONS);
        sorted.push({ path, first, deeper });
      }
      const cookie = await dashboardCookie(server.url, token);
      const overview = await timeRequests(
        server.url,
        token,
        ['/dashboard/overview'],
        Math.max(10, Math.round(ITERATIONS / 10)),
        {
          cookie,
        },
      );
      const scale = `${DISBURSEMENTS.toLocaleString('en-US')} disbursements, ${(DISBURSEMENTS * EVENTS_PER).toLocaleString('en-US')} events (seeded in ${round(seedSeconds, 1)} s)`;
      const row = (name, m, target) => ({
        name,
        p95Ms: round(m.p95),
        p50Ms: round(m.p50),
        targetMs: target,
        met: m.p95 < target,
        summary: `p95 ${round(m.p95)} ms, p50 ${round(m.p50)} ms (target p95 < ${target} ms) ${m.p95 < target ? 'ok' : 'MISSED'}; ${scale}`,
      });
      return [
        row('server: first page of a status filter (SQLite)', list, 20),
        row('server: disbursement with its timeline (SQLite)', detail, 20),
        row('server: stats (SQLite)', stats, 250),
        ...sorted.map(({ path, first, deeper }) => {
          const ratio = deeper.p95 / first.p95;
          return {
            name: `server: page ${(DEPTH_PAGES * 200).toLocaleString('en-US')} rows deep vs first page, ${path.replace('/api/v1/disbursements?', '')} (SQLite)`,
            ratio: round(ratio, 2),
            met: ratio < 2,
            summary: `ratio ${round(ratio, 2)} (deep p95 ${round(deeper.p95)} ms, first p95 ${round(first.p95)} ms; target < 2) ${ratio < 2 ? 'ok' : 'MISSED'}; ${scale}`,
          };
        }),
        row('server: dashboard overview (SQLite)', overview, 400),
      ];
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.name}: ${row.summary}`);
}
