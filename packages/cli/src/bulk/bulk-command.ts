// `notifykit bulk stage payouts.csv`: validate every row up front, then stage the valid ones with bounded
// concurrency and a rate limit, journaled so a killed run resumes where it stopped, and write a results
// CSV (row → disbursement / notification id, or the error).
import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { CliError } from '../cli-error.js';
import { positiveInteger, stagerFor, withExamples, withJson, withStagingTarget } from '../commands/command-options.js';
import { describeError } from '../error-report.js';
import { type CliIO, printJson } from '../output/io.js';
import { readPayoutsCsv } from './csv-input.js';
import { type Finished, Journal, readJournal } from './journal.js';
import { runPaced } from './pacing.js';
import { Progress } from './progress.js';
import { type PlannedRow, planRows } from './row-validation.js';

interface BulkFlags {
  skipInvalid?: boolean;
  dryRun?: boolean;
  rate: number;
  concurrency: number;
  journal?: string;
  results?: string;
  json?: boolean;
}

type RowResult =
  | { outcome: 'staged' | 'replayed'; entry: Finished; earlier: boolean }
  | { outcome: 'invalid'; error: string }
  | { outcome: 'failed'; error: string }
  | { outcome: 'not sent' };

function rate(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('must be a number ≥ 0 (0 = unlimited)');
  return n;
}

const RESULT_COLUMNS = [
  'row',
  'line',
  'participant_unique_id1',
  'outcome',
  'disbursement_id',
  'notification_id',
  'status',
  'error',
];

function writeResults(path: string, rows: readonly PlannedRow[], results: ReadonlyMap<number, RowResult>): void {
  const records = rows.map((r) => {
    const result = results.get(r.row) ?? { outcome: 'not sent' as const };
    const entry = 'entry' in result ? result.entry : undefined;
    return [
      r.row,
      r.line,
      r.key,
      result.outcome,
      entry?.disbursement_id ?? '',
      entry?.notification_id ?? '',
      entry?.status ?? '',
      'error' in result ? result.error : '',
    ];
  });
  writeFileSync(path, stringify([RESULT_COLUMNS, ...records]));
}

function reportInvalid(io: CliIO, invalid: readonly PlannedRow[]): void {
  for (const r of invalid.slice(0, 50)) io.err?.(`row ${r.row} (line ${r.line}): ${r.problems.join('; ')}`);
  if (invalid.length > 50) io.err?.(`… and ${invalid.length - 50} more invalid rows (all in the results CSV)`);
}

export function registerBulk(program: Command, io: CliIO): void {
  const bulk = program.command('bulk').description('many payouts at once from a CSV file');
  const stage = bulk
    .command('stage')
    .description('stage one payout per CSV row: validated up front, rate-limited, resumable, idempotent per row')
    .argument('<payouts.csv>', 'columns named after Ingo fields (see packages/cli/README.md)')
    .option('--skip-invalid', 'stage the valid rows even when some are invalid')
    .option('--dry-run', 'validate and report only; send nothing')
    .option('--rate <per-second>', 'request starts per second (0 = unlimited; Ingo asks for at most 5)', rate, 5)
    .option('--concurrency <n>', 'requests in flight at once', positiveInteger(), 5)
    .option('--journal <path>', 'resume journal (default <payouts.csv>.journal)')
    .option('--results <path>', 'results CSV (default <payouts>.results.csv)');
  withJson(withStagingTarget(stage));
  withExamples(stage, [
    'notifykit bulk stage payouts.csv',
    'notifykit bulk stage payouts.csv --skip-invalid --results out.csv',
    'notifykit bulk stage payouts.csv --rate 0 --concurrency 16 --direct',
    'notifykit bulk stage payouts.csv --dry-run --json',
  ]);
  stage.action(async (file: string, f: BulkFlags) => {
    const { rows } = readPayoutsCsv(file);
    const planned = planRows(rows);
    const invalid = planned.filter((r) => r.problems.length > 0);
    const valid = planned.filter((r) => r.problems.length === 0);
    const resultsPath = f.results ?? `${file.replace(/\.csv$/i, '')}.results.csv`;
    const journalPath = f.journal ?? `${file}.journal`;
    const results = new Map<number, RowResult>();
    for (const r of invalid) results.set(r.row, { outcome: 'invalid', error: r.problems.join('; ') });

    const summary = {
      file,
      rows: planned.length,
      valid: valid.length,
      invalid: invalid.length,
      staged: 0,
      replayed: 0,
      already_done: 0,
      failed: 0,
      results: resultsPath,
      journal: journalPath,
      invalid_rows: invalid.map((r) => ({ row: r.row, line: r.line, problems: r.problems })),
    };
    if (invalid.length > 0 && (!f.skipInvalid || f.dryRun)) {
      reportInvalid(io, invalid);
      if (f.json) printJson(io, summary);
      if (!f.dryRun) {
        throw new CliError(
          `${invalid.length} of ${planned.length} rows are invalid: nothing was sent`,
          `fix them, or pass --skip-invalid to stage the ${valid.length} valid rows`,
        );
      }
    }
    if (f.dryRun) {
      if (!f.json)
        io.out(`${valid.length} valid, ${invalid.length} invalid of ${planned.length} rows; nothing sent (--dry-run)`);
      if (invalid.length > 0) throw new CliError(`${invalid.length} rows are invalid`, 'see the report above');
      return;
    }
    if (invalid.length > 0) reportInvalid(io, invalid);

    const earlier = readJournal(journalPath);
    const todo: PlannedRow[] = [];
    for (const r of valid) {
      const done = earlier.get(r.key);
      if (done === undefined) todo.push(r);
      else {
        results.set(r.row, { outcome: done.replayed ? 'replayed' : 'staged', entry: done, earlier: true });
        summary.already_done++;
      }
    }
    if (summary.already_done > 0)
      io.err?.(`resuming: ${summary.already_done} rows were staged by an earlier run (journal ${journalPath})`);

    const stageOne = await stagerFor(stage, io);
    const journal = await Journal.open(journalPath);
    const progress = new Progress(io, todo.length);
    // A row's `sending` mark must be on disk before its request goes out. Marks are written a little
    // ahead of the senders (one group commit for many rows), so a sender rarely waits for an fsync; the
    // `done` marks are awaited at the end only — a row killed before its `done` is durable is re-sent
    // with the same key on the next run, which stages nothing new.
    const lookahead = 2 * f.concurrency;
    const sendingMarks: Promise<void>[] = [];
    const doneMarks: Promise<void>[] = [];
    const markAhead = (upTo: number) => {
      for (let i = sendingMarks.length; i < Math.min(upTo, todo.length); i++) {
        const r = todo[i]!;
        sendingMarks.push(journal.append({ state: 'sending', key: r.key, row: r.row }));
      }
    };
    try {
      await runPaced(todo, { rate: f.rate, concurrency: f.concurrency }, async (r, index) => {
        markAhead(index + 1 + lookahead);
        await sendingMarks[index];
        try {
          const outcome = await stageOne(r.input, r.key);
          const entry: Finished = {
            state: 'done',
            key: r.key,
            row: r.row,
            disbursement_id: outcome.disbursement_id,
            notification_id: outcome.notification_id,
            status: outcome.status,
            replayed: outcome.replayed,
          };
          doneMarks.push(journal.append(entry));
          results.set(r.row, { outcome: outcome.replayed ? 'replayed' : 'staged', entry, earlier: false });
          if (outcome.replayed) summary.replayed++;
          else summary.staged++;
          progress.tick(true);
        } catch (error) {
          const message = describeError(error).line.replace(/^notifykit: /, '');
          doneMarks.push(journal.append({ state: 'failed', key: r.key, row: r.row, error: message }));
          results.set(r.row, { outcome: 'failed', error: message });
          summary.failed++;
          progress.tick(false);
        }
      });
      await Promise.all([...sendingMarks, ...doneMarks]);
    } finally {
      progress.finish();
      await Promise.allSettled([...sendingMarks, ...doneMarks]);
      await journal.close();
      writeResults(resultsPath, planned, results);
    }
    if (f.json) printJson(io, summary);
    else {
      io.out(
        `staged ${summary.staged} new${summary.replayed > 0 ? ` (+${summary.replayed} already known to the server)` : ''}, ${summary.already_done} from an earlier run, ${summary.invalid} invalid, ${summary.failed} failed of ${planned.length} rows`,
      );
      io.out(`results: ${resultsPath}`);
    }
    if (summary.failed > 0) {
      throw new CliError(
        `${summary.failed} rows failed`,
        `see the error column of ${resultsPath}; run the same command again to retry them`,
      );
    }
  });
}
