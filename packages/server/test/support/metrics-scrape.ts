/** The Prometheus text of a running server's /metrics. */
export async function scrapeMetrics(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** Sample values of one metric keyed by its label set as written (`{outcome="staged"}`, or `` without labels). */
export function samples(metrics: string, name: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (match?.[1] === name) out.set(match[2] ?? '', Number(match[3]));
  }
  return out;
}

/** `notifykit_stage_calls_total` per outcome. */
export function stageCalls(metrics: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [labels, value] of samples(metrics, 'notifykit_stage_calls_total')) {
    const outcome = /outcome="(\w+)"/.exec(labels)?.[1];
    if (outcome) out[outcome] = value;
  }
  return out;
}
