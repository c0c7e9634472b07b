// Values that must never reach a log line, an error message or a trace: credentials and the answers a
// recipient proves their identity with (docs/ingo-contract.md §3 marks `client_provided_value` sensitive).

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';

/**
 * Keys whose values are always redacted. Matching ignores case, `_` and `-`, so `client_provided_value`,
 * `clientProvidedValue` and `Client-Provided-Value` are all caught.
 */
export const SENSITIVE_KEYS: readonly string[] = Object.freeze([
  'secret',
  'client_provided_value',
  'ssn',
  'dob',
  'date_of_birth',
  'password',
  'token',
  'authorization',
  'api_key',
  'apikey',
  'x_api_key',
  'api_token',
  'access_token',
  'refresh_token',
  'webhook_secret',
  'x_ingo_signature',
  'customer_account_token',
  'encryption_key',
]);

const normalize = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

const SENSITIVE = new Set(SENSITIVE_KEYS.map(normalize));

/** True when values under this key must never be logged. */
export function isSensitiveKey(key: string): boolean {
  return SENSITIVE.has(normalize(key));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Returns a deep copy of `value` (plain objects and arrays) in which every value under a sensitive key
 * is replaced by {@link REDACTED}. The input is never modified. Other objects (Dates, Buffers) are kept
 * as they are; cycles become `"[Circular]"`.
 */
export function redact<T>(value: T): T {
  return copy(value, new WeakSet()) as T;
}

function copy(value: unknown, seen: WeakSet<object>): unknown {
  if (Array.isArray(value)) {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const out = value.map((item) => copy(item, seen));
    seen.delete(value);
    return out;
  }
  if (isPlainObject(value)) {
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = isSensitiveKey(key) ? REDACTED : copy(inner, seen);
    }
    seen.delete(value);
    return out;
  }
  return value;
}

/** Error fields never logged: `raw` holds Ingo's whole answer, `cause` another error with its own fields. */
const UNLOGGED_ERROR_FIELDS = new Set(['raw', 'cause']);

/**
 * What a logger may write for one log object: {@link redact}, plus raw bytes (Buffers, typed arrays —
 * e.g. the request bytes Node's HTTP parser attaches to a client error as `rawPacket`) replaced by their
 * length, since no key-based redaction can see a secret inside them, and errors flattened to
 * `{type, message, …own fields, stack}` under the same rules.
 */
export function redactLogFields<T>(value: T): T {
  return logCopy(value, new WeakSet()) as T;
}

function logCopy(value: unknown, seen: WeakSet<object>): unknown {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (typeof value !== 'object' || value === null) return value;
  const isError = value instanceof Error;
  if (!isError && !Array.isArray(value) && !isPlainObject(value)) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  let out: unknown;
  if (Array.isArray(value)) out = value.map((item) => logCopy(item, seen));
  else {
    const fields: Record<string, unknown> = isError ? { type: value.name, message: value.message } : {};
    for (const [key, inner] of Object.entries(value)) {
      if (isError && UNLOGGED_ERROR_FIELDS.has(key)) continue;
      fields[key] = isSensitiveKey(key) ? REDACTED : logCopy(inner, seen);
    }
    if (isError && value.stack) fields.stack = value.stack;
    out = fields;
  }
  seen.delete(value);
  return out;
}
