// Webhook ingestion throughput: the notifykit server (signature verification, group-committed durable
// transactions: SQLite WAL + synchronous=FULL, or PostgreSQL) against a bare node:http server that
// answers 200 to the same requests, both loaded by autocannon at 50 connections in the same run.
// Targets: ≥ 0.33 of the bare server's requests/s (the decision on the blocked ingestion issue: the design
// stays — one fsynced transaction before the 2xx), p99 ≤ max(50 ms, 3 × bare p99), on SQLite.
// Env: BENCH_DURATION (seconds per round, default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
// BENCH_SKIP_POSTGRES=1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signWebhook } from '@notifykit/sdk';
import autocannon from 'autocannon';
import {
  createTemporaryDatabase,
  postgresReachable,
  round,
  SERVER_BIN,
  spawnListening,
  startBareServer,
} from './bench-support.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server under this load.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SECRET = `bench-webhook-secret-${randomBytes(6).toString('hex')}`;
const API_TOKEN = `bench-api-token-${randomBytes(6).toString('hex')}`;
const DISBURSEMENTS = 2000;
const TOPICS = [
  ['transaction.recipient.notification.status.sent', '1200'],
  ['transaction.recipient.notification.status.received', '1201'],
  ['transaction.recipient.authentication.status.success', '1100'],
  ['transaction.account.tokenization.success', '100'],
  ['transaction.recipient.payment.status.success', '1125'],
];

/** Signed Ingo envelopes with unique metadata ids, for the disbursements seeded in the server. */
function webhookRequests(puids) {
  let n = 0;
  const run = randomBytes(4).toString('hex');
  return [
    {
      method: 'POST',
      path: '/webhooks/ingo',
      setupRequest(request) {
        n += 1;
        // Concurrent webhooks name different disbursements, and each disbursement gets its lifecycle's
        // topics in order (sent, received, authenticated, tokenized, paid; then again), as when many
        // payouts progress at once. (Topic n % 5 with 2,000 disbursements would give each disbursement
        // one topic only, over and over.)
        const [topic, status] = TOPICS[Math.floor(n / Math.max(1, puids.length)) % TOPICS.length];
        const body = JSON.stringify({
          metadata: {
            id: `bench-${run}-${n}`,
            timestamp: 1_750_000_000 + n,
            topic,
            topic_description: 'bench',
            version: '3',
          },
          data: {
            ancillary: {
              participant_unique_id1: puids.length === 0 ? `unknown-${n}` : puids[n % puids.length],
              participant_unique_id2: '',
              notification_id: '',
              session_id: '',
            },
            event: { status, client_message: 'Success' },
          },
        });
        return {
          ...request,
          body,
          headers: { 'content-type': 'application/json', 'x-ingo-signature': signWebhook(body, SECRET) },
        };
      },
    },
  ];
}

async function load(url, puids, duration) {
  // The load generator's own CPU (signing and sending), in cores: at 1.0 it, not the server, sets the pace.
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    requests: webhookRequests(puids),
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    clientCores: (cpu.user + cpu.system) / 1000 / (performance.now() - startedAt),
    rps: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/** CPU seconds a process has used so far (Linux /proc; undefined elsewhere). */
function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after "pid (comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** One measured run against a target, with the target process's CPU time per request. */
async function measure(target, duration) {
  const cpuBefore = processCpuSeconds(target.child.pid);
  const m = await load(target.url, target.puids, duration);
  const cpuAfter = processCpuSeconds(target.child.pid);
  const cpuMsPerRequest =
    cpuBefore === undefined || cpuAfter === undefined || m.total === 0
      ? undefined
      : ((cpuAfter - cpuBefore) * 1000) / m.total;
  return { ...m, cpuMsPerRequest };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function seed(url) {
  const puids = [];
  const body = (i) =>
    JSON.stringify({
      amount: '10.00',
      participant_unique_id1: `bench-seed-${i}-${randomBytes(3).toString('hex')}`,
      recipient: { first_name: 'Bench', last_name: `Recipient${i}`, email: `b${i}@example.com` },
      authentication_records: [
        {
          field_label: 'PIN',
          field_order: 1,
          validation_type: 1,
          match_failure_type: 1,
          client_provided_value: '1234',
        },
      ],
    });
  // Ingo is unreachable, so each stage call waits out the client's retries: many at once.
  const concurrency = 500;
  for (let i = 0; i < DISBURSEMENTS; i += concurrency) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(concurrency, DISBURSEMENTS - i) }, (_, k) =>
        fetch(`${url}/api/v1/disbursements`, {
          method: 'POST',
          headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
          body: body(i + k),
        }).then((r) => r.json()),
      ),
    );
    puids.push(...batch.map((d) => d.participant_unique_id1));
  }
  return puids;
}

async function startNotifykitServer(databaseUrl) {
  const server = await spawnListening([...SERVER_NODE_ARGS, SERVER_BIN, '--port', '0'], {
    DATABASE_URL: databaseUrl,
    // Ingo unreachable: seeded disbursements stay pending; the worker retries rarely.
    INGO_BASE_URL: 'http://127.0.0.1:9',
    INGO_USERNAME: 'bench',
    INGO_SECRET: 'bench-ingo-secret',
    INGO_PARTICIPANT_ID: '12345',
    INGO_WEBHOOK_SECRET: SECRET,
    NOTIFYKIT_API_TOKEN: API_TOKEN,
    NOTIFYKIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    NOTIFYKIT_OUTBOX_BACKOFF_MS: '600000',
    LOG_LEVEL: 'error',
  });
  try {
    const puids = await seed(server.url);
    await load(server.url, puids, 2); // warm-up
    return { ...server, puids };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

async function averageGroup(url) {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const count = Number(/notifykit_webhook_commit_batch_size_count (\d+)/.exec(metrics)?.[1] ?? 0);
  const sum = Number(/notifykit_webhook_commit_batch_size_sum (\d+)/.exec(metrics)?.[1] ?? 0);
  return count === 0 ? 0 : sum / count;
}

/**
 * The bare server and each notifykit server are measured in alternating rounds (bare, SQLite, PostgreSQL,
 * bare, …) so that a slow minute of a shared machine weighs on both sides of a ratio; each round's
 * ratio compares a server with the bare run just before it, and the median round is reported.
 */
export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'notifykit-bench-ingest-'));
  const targets = [];
  let bare;
  let temp;
  try {
    bare = { ...(await startBareServer()), puids: [] };
    await load(bare.url, [], 2);
    targets.push({
      name: 'server: webhook ingestion, SQLite (WAL, synchronous=FULL)',
      target: 0.33,
      server: await startNotifykitServer(`sqlite:${join(dir, 'bench.db')}`),
      rounds: [],
    });

    if (process.env.BENCH_SKIP_POSTGRES !== '1' && (await postgresReachable())) {
      temp = await createTemporaryDatabase('ingest');
      targets.push({
        name: 'server: webhook ingestion, PostgreSQL',
        target: undefined, // reported beside SQLite; the issue sets no target for it
        server: await startNotifykitServer(temp.url),
        rounds: [],
      });
    }
    const bareRounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const baseline = await measure(bare, DURATION);
      bareRounds.push(baseline);
      for (const t of targets) t.rounds.push({ baseline, result: await measure(t.server, DURATION) });
    }
    for (const t of targets) t.averageGroup = await averageGroup(t.server.url);
    const rows = targets.map((t) => describe(t, bareRounds));
    if (temp === undefined) {
      rows.push({
        name: 'server: webhook ingestion, PostgreSQL',
        summary:
          process.env.BENCH_SKIP_POSTGRES === '1'
            ? 'skipped: BENCH_SKIP_POSTGRES=1'
            : 'skipped: PostgreSQL unreachable at 127.0.0.1:5432',
        met: undefined,
      });
    }
    return rows;
  } finally {
    for (const t of targets) await t.server.stop();
    await bare?.stop();
    await temp?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(t, bareRounds) {
  const ratios = t.rounds.map((r) => r.result.rps / r.baseline.rps);
  const ratio = median(ratios);
  const rps = median(t.rounds.map((r) => r.result.rps));
  const bareRps = median(bareRounds.map((b) => b.rps));
  const p99 = median(t.rounds.map((r) => r.result.p99));
  const bareP99 = median(bareRounds.map((b) => b.p99));
  const p99Target = Math.max(50, 3 * bareP99);
  const p99Met = p99 <= p99Target;
  const non2xx = t.rounds.reduce((n, r) => n + r.result.non2xx, 0);
  const errors = t.rounds.reduce((n, r) => n + r.result.errors, 0);
  const total = t.rounds.reduce((n, r) => n + r.result.total, 0);
  const cpu = t.rounds.map((r) => r.result.cpuMsPerRequest).filter((x) => x !== undefined);
  const bareCpu = bareRounds.map((b) => b.cpuMsPerRequest).filter((x) => x !== undefined);
  const targeted = t.target !== undefined;
  return {
    name: t.name,
    ops: rps,
    baselineOps: bareRps,
    ratio: targeted ? ratio : undefined,
    target: t.target,
    p99Ms: p99,
    baselineP99Ms: bareP99,
    p99TargetMs: p99Target,
    met: targeted ? ratio >= t.target && p99Met && non2xx === 0 && errors === 0 : undefined,
    summary:
      `median of ${t.rounds.length} alternating rounds of ${DURATION} s: ${Math.round(rps)} req/s vs bare ${Math.round(bareRps)} req/s, ` +
      `ratio ${round(ratio, 3)}${targeted ? ` (target ≥ ${t.target})` : ''} [rounds: ${ratios.map((r) => round(r, 3)).join(', ')}]; ` +
      `p99 ${p99} ms vs bare ${bareP99} ms${targeted ? ` (target ≤ ${p99Target} ms ${p99Met ? 'ok' : 'MISSED'})` : ''} ` +
      `[rounds: ${t.rounds.map((r) => r.result.p99).join(', ')}]; ` +
      `p50 ${median(t.rounds.map((r) => r.result.p50))} ms; ${total} requests, non-2xx ${non2xx}, errors ${errors}; ` +
      `avg group commit ${round(t.averageGroup, 1)} webhooks; ` +
      (cpu.length > 0 ? `server CPU ${round(median(cpu), 3)} ms/request (bare ${round(median(bareCpu), 3)}); ` : '') +
      `load generator ${round(median(t.rounds.map((r) => r.result.clientCores)), 2)} cores (bare rounds ${round(median(bareRounds.map((b) => b.clientCores)), 2)})`,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.name}: ${row.summary}`);
}
