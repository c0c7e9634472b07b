// Reading payouts.csv: a real CSV parser (quotes, embedded commas and newlines, a BOM), a header of
// known column names only, one record per row with its line number for the report.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliError, usageError } from '../cli-error.js';
import { KNOWN_COLUMNS_HINT, unknownColumnReason } from '../payouts/flat-fields.js';

export interface CsvRow {
  /** 1-based data row number (the header is not a row). */
  row: number;
  /** Line in the file where the row starts (for editors). */
  line: number;
  fields: Record<string, string>;
}

export function readPayoutsCsv(path: string): { columns: string[]; rows: CsvRow[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    throw new CliError(
      `${path} is not valid CSV: ${(error as Error).message}`,
      'quote cells that contain commas, quotes or newlines',
    );
  }
  const header = records[0]?.record.map((c) => c.trim());
  if (header === undefined)
    throw new CliError(`${path} is empty`, 'the first line names the columns: amount, first_name, …');
  const problems = header.map(unknownColumnReason).filter((p): p is string => p !== undefined);
  const duplicate = header.find((c, i) => header.indexOf(c) !== i);
  if (duplicate !== undefined) problems.push(`column "${duplicate}" appears twice`);
  if (problems.length > 0) throw new CliError(`${path}: ${problems.join('; ')}`, KNOWN_COLUMNS_HINT);
  if (!header.includes('amount')) throw new CliError(`${path} has no amount column`, KNOWN_COLUMNS_HINT);
  const rows = records.slice(1).map(({ record, info }, i) => {
    const fields: Record<string, string> = {};
    header.forEach((column, c) => {
      fields[column] = (record[c] ?? '').trim();
    });
    // info.lines is the line where the record ends; a record spanning lines is rare, so this is the line to look at.
    return { row: i + 1, line: info.lines, fields };
  });
  return { columns: header, rows };
}
