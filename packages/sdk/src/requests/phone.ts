// US phone spellings turned into the 10 digits Ingo's sandbox rules ask for (docs/ingo-contract.md §3: the SDK is
// never stricter than Ingo on what it can fix). The schemas stay strict — the sandbox validates with
// them and keeps its "10 digits" Decision — so normalization is a step of its own that the client (and
// the server's REST API) runs before validating. Only what cannot be a US number is left for the
// schema to refuse: letters, extensions, another country code, too few or too many digits.

import { isJsonObject, type JsonObject } from '../type-drift.js';
import type { ProgramRules } from './program-rules.js';

// Digits with the usual separators: spaces, dashes, dots, parentheses, and one leading `+`.
const PHONE_SPELLING = /^\+?[\d\s().-]+$/;

/**
 * The 10 digits of a US phone number spelled as `5555550100`, `555-555-0100`, `555.555.0100`,
 * `(555) 555-0100`, `+1 555 555 0100`, `1-555-555-0100` or `+15555550100`; undefined when the value
 * cannot be a US number. A blank value stays blank (optional contact fields are often sent empty).
 */
export function normalizeUsPhone(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return '';
  if (!PHONE_SPELLING.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length === 10 && !trimmed.startsWith('+')) return digits;
  // 11 digits are the country code 1 followed by the number; `+` with any other code is not US.
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return undefined;
}

/** The object with each named phone field normalized when it is a US spelling; others are kept as sent. */
function withPhones(value: unknown, fields: readonly string[]): unknown {
  if (!isJsonObject(value)) return value;
  let out: JsonObject | undefined;
  for (const field of fields) {
    const raw = value[field];
    if (typeof raw !== 'string') continue;
    const normalized = normalizeUsPhone(raw);
    if (normalized === undefined || normalized === raw) continue;
    out ??= { ...value };
    out[field] = normalized;
  }
  return out ?? value;
}

function applies(rules: Partial<ProgramRules> | undefined): boolean {
  // Without strict contact rules Ingo takes free-form numbers: they are sent as given.
  return rules?.strictContact !== false;
}

/**
 * A v3 stage body with `recipient.mobile` and `recipient.phone` normalized to 10 digits (under strict
 * contact rules, the default). Returns a copy when something changed; never validates.
 */
export function normalizeStagePhones<T>(body: T, rules?: Partial<ProgramRules>): T {
  if (!applies(rules) || !isJsonObject(body)) return body;
  const recipient = withPhones(body.recipient, ['mobile', 'phone']);
  return recipient === body.recipient ? body : ({ ...body, recipient } as T);
}

/** A v4 body with every party's `contact_telcom.phone_mobile` normalized, as {@link normalizeStagePhones}. */
export function normalizeManagedStagePhones<T>(body: T, rules?: Partial<ProgramRules>): T {
  if (!applies(rules) || !isJsonObject(body) || !Array.isArray(body.transaction_parties)) return body;
  let changed = false;
  const parties = body.transaction_parties.map((party: unknown) => {
    if (!isJsonObject(party)) return party;
    const telcom = withPhones(party.contact_telcom, ['phone_mobile']);
    if (telcom === party.contact_telcom) return party;
    changed = true;
    return { ...party, contact_telcom: telcom };
  });
  return changed ? ({ ...body, transaction_parties: parties } as T) : body;
}
