// `notifykit bulk stage` as the real binary against a real sandbox and server: 2,000 rows with 20
// invalid ones (reported, nothing sent until --skip-invalid), killed with SIGKILL halfway, run again:
// every valid row is staged exactly once, checked row by row against the sandbox's control API.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../sandbox/test/support/wait-for.js';
import { jsonOf, runCli, startCli } from './support/cli-process.js';
import { type CliStack, startCliStack } from './support/cli-stack.js';

let stack: CliStack;
beforeAll(async () => {
  stack = await startCliStack({ speed: 0 });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const COLUMNS = [
  'participant_unique_id1',
  'amount',
  'first_name',
  'last_name',
  'business_name',
  'email',
  'mobile',
  'auth1_label',
  'auth1_format',
  'auth1_value',
  'auth2_label',
  'auth2_value',
  'note1_label',
  'note1_value',
];

/** Row i (1-based): every 100th is invalid in one of four ways; odd rows carry their own key, even rows get a derived one. */
function row(i: number, prefix: string): string[] {
  const fault = i % 100 === 0 ? (i / 100) % 4 : -1;
  return [
    i % 2 === 1 ? `${prefix}-${i}` : '',
    fault === 0 ? '12.345' : `${(i % 500) + 1}.${String(i % 100).padStart(2, '0')}`,
    fault === 1 ? '' : 'Pat',
    fault === 1 ? '' : `Doe ${i}`,
    '',
    fault === 2 ? 'not-an-email' : `pat.${prefix}.${i}@example.com`,
    '5125550100',
    'Last 4 SSN',
    'XXXX',
    fault === 3 ? '' : String(1000 + i),
    'Zip',
    '78701',
    'Claim',
    `"CLM-${i}, part ""A"""`,
  ];
}

function writeCsv(path: string, rows: number, prefix: string): void {
  const lines = [COLUMNS.join(',')];
  for (let i = 1; i <= rows; i++) lines.push(row(i, prefix).join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const doneLines = (journal: string) => {
  try {
    return readFileSync(journal, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"state":"done"')).length;
  } catch {
    return 0;
  }
};

interface Result {
  row: string;
  participant_unique_id1: string;
  outcome: string;
  notification_id: string;
  error: string;
}

function readResults(path: string): Result[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  // The results have no quoted commas except in `error`, the last column.
  return lines.map((line) => {
    const cells = line.split(',');
    const record: Record<string, string> = {};
    names.forEach((n, i) => {
      record[n] = i === names.length - 1 ? cells.slice(i).join(',') : (cells[i] ?? '');
    });
    return record as unknown as Result;
  });
}

describe('bulk stage', () => {
  it('refuses a file with an unknown column before reading any row', async () => {
    const file = `${stack.dir}/unknown.csv`;
    writeFileSync(file, 'amount,first_name,last_name,emial\n10.00,A,B,a@example.com\n');
    const result = await runCli(['bulk', 'stage', file], stack.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown column "emial".*hint: columns are participant_unique_id1, amount/);
  });

  it('2,000 rows, 20 invalid: reported and nothing sent; --skip-invalid killed halfway and resumed stages each valid row exactly once', async () => {
    const file = `${stack.dir}/payouts.csv`;
    const journal = `${file}.journal`;
    writeCsv(file, 2000, 'run');
    const args = ['bulk', 'stage', file, '--direct', '--rate', '0', '--concurrency', '8'];

    const refused = await runCli(args, stack.env);
    expect(refused.code).toBe(1);
    const report = refused.stderr.trim().split('\n');
    expect(report.filter((l) => /^row \d+ \(line \d+\): /.test(l))).toHaveLength(20);
    expect(report).toContain(
      'row 100 (line 101): recipient.first_name: first_name and last_name, or business_name, is required',
    );
    expect(report.at(-1)).toMatch(/20 of 2000 rows are invalid: nothing was sent.*--skip-invalid/);
    const untouched = await stack.control.call<{ notifications: unknown[] }>('GET', '/_sandbox/notifications?limit=1');
    expect(untouched.body.notifications).toEqual([]);

    const first = startCli([...args, '--skip-invalid'], stack.env);
    await waitFor(() => doneLines(journal) >= 700 || first.child.exitCode !== null, {
      timeoutMs: 120_000,
      intervalMs: 5,
      what: '700 rows staged',
    });
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const doneBeforeKill = doneLines(journal);
    expect(doneBeforeKill).toBeLessThan(1980);

    const second = await runCli([...args, '--skip-invalid', '--json'], stack.env);
    expect(second.code, second.stderr).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ rows: 2000, valid: 1980, invalid: 20, failed: 0 });
    expect(summary.already_done).toBe(doneBeforeKill);
    expect(summary.already_done + summary.staged + summary.replayed).toBe(1980);
    expect(second.stderr).toContain(`resuming: ${doneBeforeKill} rows were staged by an earlier run`);

    // The results CSV: every row, valid ones with their notification id, invalid ones with the reason.
    const results = readResults(`${stack.dir}/payouts.results.csv`);
    expect(results).toHaveLength(2000);
    const staged = results.filter((r) => r.outcome === 'staged' || r.outcome === 'replayed');
    expect(staged).toHaveLength(1980);
    expect(results.filter((r) => r.outcome === 'invalid')).toHaveLength(20);
    expect(new Set(staged.map((r) => r.notification_id)).size).toBe(1980);

    // The sandbox: exactly one notification per valid row, the one the results name; none for invalid rows.
    const counts = await Promise.all(
      results.map(async (r) => {
        const { body } = await stack.control.call<{ notifications: { notification_id: number }[] }>(
          'GET',
          `/_sandbox/notifications?participant_unique_id1=${encodeURIComponent(r.participant_unique_id1)}`,
        );
        return { r, ids: body.notifications.map((n) => String(n.notification_id)) };
      }),
    );
    for (const { r, ids } of counts) {
      if (r.outcome === 'invalid') expect(ids, `row ${r.row}`).toEqual([]);
      else expect(ids, `row ${r.row}`).toEqual([r.notification_id]);
    }

    // A third run finds everything done and sends nothing.
    const third = jsonOf<{ already_done: number; staged: number }>(
      await runCli([...args, '--skip-invalid', '--json'], stack.env),
    );
    expect(third).toMatchObject({ already_done: 1980, staged: 0 });
  }, 300_000);

  it('through the server by default: progress lines when not a TTY, the results CSV, and a re-run with a lost journal replays', async () => {
    const file = `${stack.dir}/server.csv`;
    writeCsv(file, 40, 'srv');
    const run = await runCli(
      ['bulk', 'stage', file, '--skip-invalid', '--rate', '20', '--results', `${stack.dir}/out.csv`],
      stack.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^progress: 40\/40 \(100%\) [\d.]+ rows\/s ETA 0s$/m);
    expect(run.stdout).toContain('staged 40 new, 0 from an earlier run, 0 invalid, 0 failed of 40 rows');
    const results = readResults(`${stack.dir}/out.csv`);
    expect(results.every((r) => r.outcome === 'staged')).toBe(true);
    const list = jsonOf<{ data: { participant_unique_id1: string }[] }>(
      await runCli(['list', '--search', 'srv-1', '--json'], stack.env),
    );
    expect(list.data.map((d) => d.participant_unique_id1)).toContain('srv-1');
    // Without the journal the server's idempotency still holds: nothing is staged twice.
    writeFileSync(`${file}.journal`, '');
    const again = jsonOf<{ staged: number; replayed: number }>(
      await runCli(['bulk', 'stage', file, '--rate', '0', '--json'], stack.env),
    );
    expect(again).toMatchObject({ staged: 0, replayed: 40 });
    const stats = jsonOf<{ total: { count: number } }>(await runCli(['stats', '--json'], stack.env));
    expect(stats.total.count).toBe(40);
  }, 120_000);
});
