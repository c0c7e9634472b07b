// Ingo's JSON drifts between types (docs/ingo-contract.md §2 and §6): `status`, `notification_id`, `time` and
// `participant_unique_id2` arrive as strings or numbers, in responses and in webhooks alike, and webhook
// flags as booleans, numbers or words. These are the one set of tolerant readers both parsers use, so
// both accept exactly the same spellings.

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

/** {@link driftString}, with an empty string read as absent. */
export function asNonEmptyString(value: unknown): string | undefined {
  const s = driftString(value);
  return s === undefined || s === '' ? undefined : s;
}

/** A flag sent as a boolean, 1/0, or a string such as "true", "1", "yes", "y" (any case); otherwise undefined. */
export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1' || v === 'yes' || v === 'y') return true;
    if (v === 'false' || v === '0' || v === 'no' || v === 'n') return false;
  }
  return undefined;
}
