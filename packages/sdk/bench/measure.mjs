// Shared micro-benchmark loop for the SDK benches: warm up, then run each side in alternating slices so
// that both see the same machine state (CPU frequency, other load), and report ops/s.
export function measure(fn, { warmupMs = 300, sliceMs = 200 } = {}) {
  const until = (ms, f) => {
    let n = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let i = 0; i < 64; i++) f();
      n += 64;
    }
    return n;
  };
  until(warmupMs, fn);
  return { slice: () => until(sliceMs, fn), sliceMs };
}

/** Runs `subject` and `baseline` in alternating slices and returns ops/s for each and the ratio. */
export function compare(subject, baseline, opts = {}) {
  const a = measure(subject, opts);
  const b = measure(baseline, opts);
  let na = 0;
  let nb = 0;
  const slices = opts.slices ?? 6;
  for (let i = 0; i < slices; i++) {
    na += a.slice();
    nb += b.slice();
  }
  const seconds = (slices * a.sliceMs) / 1000;
  const ops = na / seconds;
  const baselineOps = nb / seconds;
  return { ops, baselineOps, ratio: ops / baselineOps };
}

export const isMain = (metaUrl) => process.argv[1] && new URL(metaUrl).pathname === process.argv[1];

export function report(result) {
  const ok = result.ratio >= result.target ? 'ok' : 'BELOW TARGET';
  console.log(
    `${result.name}: ${Math.round(result.ops).toLocaleString('en-US')} ops/s vs baseline ${Math.round(result.baselineOps).toLocaleString('en-US')} ops/s — ratio ${result.ratio.toFixed(3)} (target ≥ ${result.target}) ${ok}`,
  );
}
