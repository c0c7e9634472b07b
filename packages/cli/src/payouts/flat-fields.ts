// A payout as flat named fields — a CSV row for `bulk stage`, the flags of `stage` — and its Ingo v3
// stage body. Column names are Ingo's field names (docs/ingo-contract.md §3), so a spreadsheet reads
// like the API; authentication records are auth<N>_label/_value/_format and notification lines
// note<N>_label/_value.
import type { StageInput } from '@notifykit/sdk';

export const TOP_LEVEL_COLUMNS = ['participant_unique_id1', 'amount', 'tracer_id', 'language'] as const;
export const RECIPIENT_COLUMNS = [
  'first_name',
  'last_name',
  'business_name',
  'email',
  'mobile',
  'phone',
  'address1',
  'address2',
  'city',
  'state',
  'zip',
  'customer_id',
] as const;
export const MAX_AUTH_RECORDS = 20;
const AUTH_COLUMN = /^auth([1-9]\d*)_(label|value|format)$/;
const NOTE_COLUMN = /^note([1-9]\d*)_(label|value)$/;

/** Why a column name is not one we know, or undefined when it is. */
export function unknownColumnReason(name: string): string | undefined {
  if ((TOP_LEVEL_COLUMNS as readonly string[]).includes(name)) return undefined;
  if ((RECIPIENT_COLUMNS as readonly string[]).includes(name)) return undefined;
  const auth = AUTH_COLUMN.exec(name);
  if (auth) {
    return Number(auth[1]) > MAX_AUTH_RECORDS
      ? `${name}: at most ${MAX_AUTH_RECORDS} authentication records (auth1…auth${MAX_AUTH_RECORDS})`
      : undefined;
  }
  if (NOTE_COLUMN.test(name)) return undefined;
  return `unknown column "${name}"`;
}

export const KNOWN_COLUMNS_HINT = `columns are ${[...TOP_LEVEL_COLUMNS, ...RECIPIENT_COLUMNS].join(', ')}, auth<N>_label/_value/_format (N ≤ ${MAX_AUTH_RECORDS}), note<N>_label/_value`;

/**
 * The stage body of a flat record: empty cells are absent fields; authentication records get
 * field_order N and the sandbox's usual exact-match, hard-failure rules (validation_type 1,
 * match_failure_type 1).
 */
export function stageInputOf(fields: Readonly<Record<string, string | undefined>>): StageInput {
  const present = (name: string): string | undefined => {
    const value = fields[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const recipient: Record<string, string> = {};
  for (const name of RECIPIENT_COLUMNS) {
    const value = present(name);
    if (value !== undefined) recipient[name] = value;
  }
  const body: Record<string, unknown> = { amount: present('amount') ?? '', recipient };
  for (const name of ['participant_unique_id1', 'tracer_id', 'language'] as const) {
    const value = present(name);
    if (value !== undefined) body[name] = value;
  }
  const authNumbers = numbersOf(fields, AUTH_COLUMN);
  if (authNumbers.length > 0) {
    body.authentication_records = authNumbers.map((n) => ({
      field_label: present(`auth${n}_label`) ?? '',
      field_order: n,
      validation_type: 1,
      match_failure_type: 1,
      ...(present(`auth${n}_format`) === undefined ? {} : { value_format: present(`auth${n}_format`) }),
      client_provided_value: present(`auth${n}_value`) ?? '',
    }));
  }
  const noteNumbers = numbersOf(fields, NOTE_COLUMN);
  if (noteNumbers.length > 0) {
    body.notification_records = noteNumbers.map((n) => ({
      field_label: present(`note${n}_label`) ?? '',
      client_provided_value: present(`note${n}_value`) ?? '',
    }));
  }
  return body as unknown as StageInput;
}

/** The record numbers that have at least one non-empty cell, ascending. */
function numbersOf(fields: Readonly<Record<string, string | undefined>>, pattern: RegExp): number[] {
  const numbers = new Set<number>();
  for (const [name, value] of Object.entries(fields)) {
    const match = pattern.exec(name);
    if (match && value !== undefined && value !== '') numbers.add(Number(match[1]));
  }
  return [...numbers].sort((a, b) => a - b);
}
