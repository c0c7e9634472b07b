#!/usr/bin/env node
// `notifykit bulk stage` against the sandbox with --rate 0 --direct: rows per second of the whole run
// (the real binary, start-up, CSV parsing, up-front validation, the fsynced journal, the results CSV)
// versus a plain loop of signed SDK stage calls (IngoClient.notify.stage) at the same concurrency,
// against the same sandbox, in the same run. Target: bulk reaches at least 0.90 of the loop.
//
// The loop runs half its rows before the bulk run and half after (same total), so a change in machine
// load during the run weighs on both sides alike.
//
// Standalone: `node packages/cli/bench/bulk-stage.bench.mjs` (after `npm run build`).
// BENCH_ROWS (default 10000), BENCH_CONCURRENCY (default 8).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IngoClient } from '@notifykit/sdk';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const TARGET = 0.9;
const CLI = fileURLToPath(new URL('../bin/notifykit.js', import.meta.url));
const SANDBOX = fileURLToPath(new URL('../../sandbox/bin/notifykit-sandbox.js', import.meta.url));
const CREDENTIAL = { username: 'dev', secret: 'dev-secret-not-for-production', participantId: 12345 };

function startSandbox(db) {
  const child = spawn(process.execPath, [SANDBOX, '--port', '0', '--db', db, '--speed', '0', '--log-level', 'silent'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the sandbox did not start')), 30_000);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
  });
}

/** The row both runs stage: the same fields, a different idempotency key per run. */
function row(i, prefix) {
  return {
    participant_unique_id1: `${prefix}-${i}`,
    amount: `${(i % 900) + 10}.00`,
    first_name: 'Pat',
    last_name: `Doe${i}`,
    email: `pat${i}@example.com`,
    mobile: '5125550100',
    auth1_label: 'Last 4 SSN',
    auth1_format: 'XXXX',
    auth1_value: String(1000 + (i % 9000)),
  };
}

function stageInput(r) {
  return {
    participant_unique_id1: r.participant_unique_id1,
    amount: r.amount,
    recipient: { first_name: r.first_name, last_name: r.last_name, email: r.email, mobile: r.mobile },
    authentication_records: [
      {
        field_label: r.auth1_label,
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        value_format: r.auth1_format,
        client_provided_value: r.auth1_value,
      },
    ],
  };
}

/** Stages rows [from, to) in a plain loop at the bulk run's concurrency; returns the seconds it took. */
async function plainLoop(url, from, to) {
  const client = new IngoClient({ baseUrl: url, ...CREDENTIAL });
  let next = from;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) {
        const i = next++;
        await client.notify.stage(stageInput(row(i, 'loop')));
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

function bulkRun(url, dir) {
  const columns = Object.keys(row(0, 'x'));
  const csv = [columns.join(','), ...Array.from({ length: ROWS }, (_, i) => Object.values(row(i, 'bulk')).join(','))];
  const file = join(dir, 'payouts.csv');
  writeFileSync(file, `${csv.join('\n')}\n`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [CLI, 'bulk', 'stage', file, '--rate', '0', '--concurrency', String(CONCURRENCY), '--direct', '--json'],
    {
      env: {
        PATH: process.env.PATH,
        XDG_CONFIG_HOME: join(dir, 'config'),
        INGO_BASE_URL: url,
        INGO_USERNAME: CREDENTIAL.username,
        INGO_SECRET: CREDENTIAL.secret,
        INGO_PARTICIPANT_ID: String(CREDENTIAL.participantId),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  return new Promise((resolve, reject) =>
    child.once('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) return reject(new Error(`bulk stage exited ${code}: ${err}`));
      const summary = JSON.parse(out);
      if (summary.staged !== ROWS) return reject(new Error(`bulk staged ${summary.staged} of ${ROWS}`));
      const results = readFileSync(summary.results, 'utf8').trim().split('\n').length - 1;
      if (results !== ROWS) return reject(new Error(`results CSV has ${results} rows`));
      resolve(ROWS / seconds);
    }),
  );
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'notifykit-bulk-bench-'));
  const sandbox = await startSandbox(join(dir, 'sandbox.db'));
  try {
    const half = Math.floor(ROWS / 2);
    const before = await plainLoop(sandbox.url, 0, half);
    const ops = await bulkRun(sandbox.url, dir);
    const after = await plainLoop(sandbox.url, half, ROWS);
    const baselineOps = ROWS / (before + after);
    return {
      name: `cli bulk stage, ${ROWS} rows, --rate 0, concurrency ${CONCURRENCY} (rows/s vs a plain SDK stage loop)`,
      ops,
      baselineOps,
      ratio: ops / baselineOps,
      target: TARGET,
    };
  } finally {
    sandbox.child.kill('SIGTERM');
    await new Promise((r) => sandbox.child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await run();
  console.log(
    `${r.name}: ${r.ops.toFixed(1)} vs ${r.baselineOps.toFixed(1)} rows/s, ratio ${r.ratio.toFixed(3)} (target ≥ ${r.target})`,
  );
}
