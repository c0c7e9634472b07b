// Webhook ingestion throughput: the notifykit server (signature verification, group-committed durable
// transactions: SQLite WAL + synchronous=FULL, or PostgreSQL) against a bare node:http server that
// answers 200 to the same requests, both loaded by autocannon at 50 connections in the same run.
// Targets (issue 4): ≥ 0.40 of the bare server's requests/s, p99 ≤ max(50 ms, 3 × bare p99), on SQLite.
// Env: BENCH_DURATION (seconds per measurement, default 10), BENCH_CONNECTIONS (50).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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
        const [topic, status] = TOPICS[n % TOPICS.length];
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
  for (let i = 0; i < DISBURSEMENTS; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: 100 }, (_, k) =>
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

async function measureServer(databaseUrl) {
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
    const measured = await load(server.url, puids, DURATION);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const count = Number(/notifykit_webhook_commit_batch_size_count (\d+)/.exec(metrics)?.[1] ?? 0);
    const sum = Number(/notifykit_webhook_commit_batch_size_sum (\d+)/.exec(metrics)?.[1] ?? 0);
    return { ...measured, averageGroup: count === 0 ? 0 : sum / count };
  } finally {
    await server.stop();
  }
}

export async function run() {
  const bare = await startBareServer();
  let baseline;
  try {
    await load(bare.url, [], 2);
    baseline = await load(bare.url, [], DURATION);
  } finally {
    await bare.stop();
  }
  const p99Target = Math.max(50, 3 * baseline.p99);
  const rows = [];
  const describe = (name, m) => {
    const ratio = m.rps / baseline.rps;
    const p99Met = m.p99 <= p99Target;
    return {
      name,
      ops: m.rps,
      baselineOps: baseline.rps,
      ratio,
      target: 0.4,
      p99Ms: m.p99,
      baselineP99Ms: baseline.p99,
      p99TargetMs: p99Target,
      met: ratio >= 0.4 && p99Met && m.non2xx === 0 && m.errors === 0,
      summary:
        `${Math.round(m.rps)} req/s vs bare ${Math.round(baseline.rps)} req/s, ratio ${round(ratio, 3)} (target ≥ 0.4); ` +
        `p99 ${m.p99} ms vs bare ${baseline.p99} ms (target ≤ ${p99Target} ms ${p99Met ? 'ok' : 'MISSED'}); ` +
        `p50 ${m.p50} ms; ${m.total} requests, non-2xx ${m.non2xx}, errors ${m.errors}; avg group commit ${round(m.averageGroup, 1)} webhooks; ` +
        `load generator ${round(m.clientCores, 2)} cores (bare run ${round(baseline.clientCores, 2)})`,
    };
  };

  const dir = mkdtempSync(join(tmpdir(), 'notifykit-bench-ingest-'));
  try {
    rows.push(
      describe(
        'server: webhook ingestion, SQLite (WAL, synchronous=FULL)',
        await measureServer(`sqlite:${join(dir, 'bench.db')}`),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.BENCH_SKIP_POSTGRES !== '1' && (await postgresReachable())) {
    const temp = await createTemporaryDatabase('ingest');
    try {
      rows.push(describe('server: webhook ingestion, PostgreSQL', await measureServer(temp.url)));
    } finally {
      await temp.drop();
    }
  } else {
    rows.push({
      name: 'server: webhook ingestion, PostgreSQL',
      summary: 'skipped: PostgreSQL unreachable at 127.0.0.1:5432',
      met: undefined,
    });
  }
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.name}: ${row.summary}`);
}
