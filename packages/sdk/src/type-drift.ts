// Ingo's JSON drifts between types (ingo-api.md §2 and §6): `status`, `notification_id`, `time` and
// `participant_unique_id2` arrive as strings or numbers, in responses and in webhooks alike. These are
// the one set of tolerant readers both parsers use, so both accept exactly the same spellings.

export type JsonObject = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number sent as a JSON number or a decimal string (surrounding spaces allowed; no hex, no exponent). */
export function driftNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

/** {@link driftNumber}, when it is an integer. */
export function driftInteger(value: unknown): number | undefined {
  const n = driftNumber(value);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/** A string sent as a JSON string or a number. */
export function driftString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}
