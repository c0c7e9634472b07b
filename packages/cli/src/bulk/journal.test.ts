import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal, readJournal } from './journal.js';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'notifykit-journal-'));
  dirs.push(dir);
  return join(dir, 'payouts.csv.journal');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const done = (key: string, row: number) => ({
  state: 'done' as const,
  key,
  row,
  disbursement_id: null,
  notification_id: String(row),
  status: 'staged',
  replayed: false,
});

describe('the bulk journal', () => {
  it('has every concurrent append on disk, in order, once each resolves', async () => {
    const path = scratch();
    const journal = await Journal.open(path);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ state: 'sending', key: `k${i}`, row: i })));
    await journal.append(done('k7', 7));
    await journal.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines.slice(0, 50).map((l) => JSON.parse(l).key)).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`));
  });

  it('reads back only the done keys, ignoring a torn last line from a kill', () => {
    const path = scratch();
    writeFileSync(
      path,
      [
        JSON.stringify({ state: 'sending', key: 'a', row: 1 }),
        JSON.stringify(done('a', 1)),
        JSON.stringify({ state: 'sending', key: 'b', row: 2 }),
        JSON.stringify({ state: 'failed', key: 'c', row: 3, error: 'x' }),
        '{"state":"done","key":"b","ro',
      ].join('\n'),
    );
    expect([...readJournal(path).keys()]).toEqual(['a']);
    expect(readJournal(`${path}.missing`).size).toBe(0);
  });
});
