// The durable store: group commit isolates a failing job, the database refuses a second owner, and the
// notification sequence starts where Ingo's fixtures do and never goes back.

import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { SandboxStore } from './sandbox-store.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function openStore() {
  const dir = tempDir();
  const store = new SandboxStore(`${dir.path}/nested/dir/sandbox.db`);
  cleanups.push(() => {
    store.close();
    dir.remove();
  });
  return { store, path: `${dir.path}/nested/dir/sandbox.db` };
}

describe('group commit', () => {
  it('commits the jobs of one turn together, and a job that throws rolls back alone', async () => {
    const { store } = openStore();
    const failing = store.batched(() => {
      store.setMeta('written-then-failed', 'x');
      throw new Error('job failed');
    });
    const passing = store.batched(() => {
      store.setMeta('kept', 'y');
      return 42;
    });
    await expect(failing).rejects.toThrow('job failed');
    await expect(passing).resolves.toBe(42);
    expect(store.getMeta('written-then-failed')).toBeUndefined();
    expect(store.getMeta('kept')).toBe('y');
  });

  it('runs jobs in order, each seeing the writes of the ones before it', async () => {
    const { store } = openStore();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.batched(() => {
          const previous = Number(store.getMeta('counter') ?? '0');
          store.setMeta('counter', String(previous + 1));
          return previous === i;
        }),
      ),
    );
    expect(results.every(Boolean)).toBe(true);
    expect(store.getMeta('counter')).toBe('20');
  });
});

describe('database file', () => {
  it('creates parent directories, refuses a second owner and survives reopening', () => {
    const { store, path } = openStore();
    expect(() => new SandboxStore(path)).toThrow(/in use by another sandbox process/);
    store.setMeta('k', 'v');
    store.close();
    const reopened = new SandboxStore(path);
    cleanups.push(() => reopened.close());
    expect(reopened.getMeta('k')).toBe('v');
  });
});
