// Human durations on the command line (`100ms`, `5s`, `2m`, `1h`, `30d`): tests run retry schedules in
// milliseconds while the defaults speak in hours, so every duration flag shares one grammar.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;

/**
 * Parses one duration into milliseconds. A bare number is read in `defaultUnit`. Throws a RangeError
 * naming what is wrong; callers turn it into a configuration error for the flag at hand.
 */
export function parseDuration(text: string, defaultUnit: keyof typeof UNIT_MS = 'ms'): number {
  const m = DURATION_PATTERN.exec(text.trim());
  if (!m) throw new RangeError(`"${text}" is not a duration (use e.g. 250ms, 5s, 2m, 1h, 30d)`);
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? defaultUnit] ?? 1);
  if (!Number.isFinite(ms)) throw new RangeError(`"${text}" is too large`);
  return Math.round(ms);
}

/** Parses a comma-separated list such as `100ms,1s,5m`; an empty list is refused. */
export function parseDurationList(text: string): number[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new RangeError('the list is empty');
  return parts.map((p) => parseDuration(p));
}
