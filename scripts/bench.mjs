#!/usr/bin/env node
// `npm run bench`: runs every packages/*/bench/*.bench.mjs (each exports `run()` returning one result or
// a list of results {name, ops, baselineOps, ratio, target, ...}) and prints one table of ratios against
// the baseline measured in the same run. Set BENCH_FILTER=<substring> to run some of them.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const filter = process.env.BENCH_FILTER ?? '';
const files = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const dir = join(root, 'packages', pkg, 'bench');
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    continue;
  }
  for (const n of names.sort()) if (n.endsWith('.bench.mjs') && join(pkg, n).includes(filter)) files.push(join(dir, n));
}

const rows = [];
for (const file of files) {
  const mod = await import(pathToFileURL(file).href);
  const out = await mod.run();
  for (const r of Array.isArray(out) ? out : [out]) {
    rows.push(r);
    const met = r.met ?? (r.ratio === undefined ? undefined : r.ratio >= r.target);
    const verdict = met === undefined ? '' : met ? 'ok' : 'BELOW TARGET';
    console.log(
      `${r.name}: ${r.summary ?? `${fmt(r.ops)} ops/s vs baseline ${fmt(r.baselineOps)} ops/s, ratio ${r.ratio?.toFixed(3)} (target ≥ ${r.target})`} ${verdict}`,
    );
  }
}

function fmt(n) {
  return n === undefined ? '-' : Math.round(n).toLocaleString('en-US');
}

console.log('\nsummary');
console.table(
  rows.map((r) => ({
    benchmark: r.name,
    ops: fmt(r.ops),
    baseline: fmt(r.baselineOps),
    ratio: r.ratio?.toFixed(3),
    target: r.target,
    met: r.met ?? (r.ratio === undefined ? undefined : r.ratio >= r.target),
  })),
);
