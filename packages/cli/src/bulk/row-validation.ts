// Up-front validation of every row with the SDK's stage schema (what the server and Ingo check), and
// each row's idempotency key: its participant_unique_id1, or one derived from the row's content so a
// re-run of the same file stages nothing twice.
import { createHash } from 'node:crypto';
import { normalizeStagePhones, type StageInput, ValidationError, validateStageRequest } from '@notifykit/sdk';
import { stageInputOf } from '../payouts/flat-fields.js';
import type { CsvRow } from './csv-input.js';

export interface PlannedRow extends CsvRow {
  key: string;
  input: StageInput;
  /** Empty when the row is valid. */
  problems: string[];
}

// Validation needs a participant id; the server (or the SDK client) fills in the real one.
const PLACEHOLDER_PARTICIPANT = 1;

/** `bulk-` + 32 hex of SHA-256 over the row's non-empty cells, by column name: order of columns does not matter. */
export function derivedKey(fields: Readonly<Record<string, string>>): string {
  const canonical = Object.entries(fields)
    .filter(([, v]) => v !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `bulk-${createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32)}`;
}

export function planRows(rows: readonly CsvRow[]): PlannedRow[] {
  const firstRowOfKey = new Map<string, number>();
  return rows.map((row) => {
    const key = row.fields.participant_unique_id1 || derivedKey(row.fields);
    const input = { ...stageInputOf(row.fields), participant_unique_id1: key } as StageInput;
    const problems: string[] = [];
    try {
      validateStageRequest(normalizeStagePhones({ ...input, participant_id: PLACEHOLDER_PARTICIPANT }));
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.issues.map((i) => `${i.path || '(row)'}: ${i.message}`));
    }
    const earlier = firstRowOfKey.get(key);
    if (earlier !== undefined) {
      problems.push(
        row.fields.participant_unique_id1
          ? `participant_unique_id1 "${key}" is also on row ${earlier}: each payout needs its own`
          : `same content as row ${earlier}: add a participant_unique_id1 column to stage both`,
      );
    } else firstRowOfKey.set(key, row.row);
    return { ...row, key, input, problems };
  });
}
