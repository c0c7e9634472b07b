#!/usr/bin/env node
// Signed stage requests per second against the sandbox (SQLite file, WAL, synchronous=FULL: every 100 is
// committed to disk before it is answered) versus a bare node:http server answering the same requests
// with a constant body. Both servers run as child processes; the same client (node:http keep-alive,
// a fresh signature and a unique participant_unique_id1 per request, same concurrency) drives both in
// the same run. Target: the sandbox reaches at least 0.20 of the bare server.
//
// The two servers are measured in alternating rounds (bare, sandbox, bare, sandbox…) so that a change
// in machine load during the run affects both alike. Concurrency 32: a server staging a batch of
// payouts in parallel, where the sandbox's group commit shares each fsync among the requests in flight.
//
// Standalone: `node packages/sandbox/bench/gateway.bench.mjs` (after `npx tsc -b packages/sandbox`).
// BENCH_SECONDS (per target, default 4), BENCH_ROUNDS (default 4) and BENCH_CONCURRENCY (default 32).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { signRequest } from '@notifykit/sdk';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_SECONDS = 0.5;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const TARGET = 0.2;
const CREDENTIAL = { username: 'dev', secret: 'dev-secret-not-for-production', participantId: 12345 };
const PATH = '/gateway/v3/notify';

// The bare baseline: reads the whole body, answers a constant stage response.
const BARE_SERVER = `
const http = require('node:http');
const body = JSON.stringify({ status: 100, client_message: 'Success', data: { notification_id: 1000001, tracer_id: 'bench', participant_unique_id1: 'x', participant_unique_id2: '', request_timestamp: 1 }, time: '0.00' });
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
});
server.keepAliveTimeout = 72000;
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

function startServer(args) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    out += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d) => {
    err += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 15_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

let sequence = 0;
function stageRequest() {
  sequence += 1;
  const body = JSON.stringify({
    participant_id: CREDENTIAL.participantId,
    amount: '25.00',
    participant_unique_id1: `bench-${process.pid}-${Date.now()}-${sequence}`,
    tracer_id: 'bench',
    recipient: { first_name: 'Alex', last_name: 'Rivera', email: 'alex@example.com' },
    authentication_records: [
      {
        field_label: 'Last 4 SSN',
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        client_provided_value: '6789',
      },
    ],
  });
  const { headers } = signRequest({
    method: 'POST',
    path: PATH,
    body,
    username: CREDENTIAL.username,
    secret: CREDENTIAL.secret,
  });
  return { body, headers };
}

function send(agent, url, { body, headers }) {
  return new Promise((resolve) => {
    const req = request(`${url}${PATH}`, { method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () => {
        let ok = false;
        try {
          ok = res.statusCode === 200 && JSON.parse(text).status === 100;
        } catch {
          ok = false;
        }
        resolve(ok);
      });
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });
}

/** Successful requests completed in `seconds` (after a warm-up) and the exact time measured. */
async function measure(url, seconds) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let counting = false;
  let ok = 0;
  let failed = 0;
  let running = true;
  const worker = async () => {
    while (running) {
      const success = await send(agent, url, stageRequest());
      if (!counting) continue;
      if (success) ok++;
      else failed++;
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await new Promise((r) => setTimeout(r, WARMUP_SECONDS * 1000));
  counting = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  counting = false;
  const elapsed = (performance.now() - started) / 1000;
  running = false;
  await Promise.all(workers);
  agent.destroy();
  if (failed > 0) throw new Error(`${failed} requests failed against ${url}`);
  return { ok, elapsed };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'nk-sandbox-bench-'));
  const servers = [];
  try {
    const bare = await startServer(['-e', BARE_SERVER]);
    servers.push(bare);
    // Speed 0 and no webhook URL: the gateway alone (verify, validate, durable insert), not the scenarios.
    const sandbox = await startServer([
      BIN,
      '--port',
      '0',
      '--db',
      join(dir, 'bench.db'),
      '--speed',
      '0',
      '--log-level',
      'warn',
    ]);
    servers.push(sandbox);
    const totals = { bare: { ok: 0, elapsed: 0 }, sandbox: { ok: 0, elapsed: 0 } };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, server] of [
        ['bare', bare],
        ['sandbox', sandbox],
      ]) {
        const { ok, elapsed } = await measure(server.url, SECONDS / ROUNDS);
        totals[name].ok += ok;
        totals[name].elapsed += elapsed;
      }
    }
    const baselineOps = totals.bare.ok / totals.bare.elapsed;
    const ops = totals.sandbox.ok / totals.sandbox.elapsed;
    const ratio = ops / baselineOps;
    return {
      name: 'sandbox gateway: signed stage requests/s (SQLite file, durable) vs bare node:http',
      ops,
      baselineOps,
      ratio,
      target: TARGET,
      summary: `${Math.round(ops)} stages/s vs bare node:http ${Math.round(baselineOps)} req/s, ratio ${ratio.toFixed(3)} (target ≥ ${TARGET}; concurrency ${CONCURRENCY}, ${SECONDS} s each in ${ROUNDS} alternating rounds)`,
    };
  } finally {
    for (const server of servers) await stop(server.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  console.log(`sandbox (durable SQLite): ${Math.round(result.ops)} signed stage requests/s`);
  console.log(`bare node:http:           ${Math.round(result.baselineOps)} requests/s`);
  console.log(
    `ratio ${result.ratio.toFixed(3)} (target ≥ ${result.target}) ${result.ratio >= result.target ? 'ok' : 'BELOW TARGET'}`,
  );
}
