import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from './group-commit.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('GroupCommitQueue', () => {
  it('commits items that arrive during a commit together, and answers each after its group', async () => {
    const groups: number[][] = [];
    let release: () => void = () => {};
    const queue = new GroupCommitQueue<number, string>(
      async (items) => {
        groups.push([...items]);
        if (groups.length === 1) await new Promise<void>((r) => (release = r));
        return items.map((i) => `ok-${i}`);
      },
      { maxBatchSize: 100 },
    );
    const answered: number[] = [];
    const track = (i: number) =>
      queue.submit(i).then((r) => {
        answered.push(i);
        return r;
      });
    const first = track(1);
    await tick();
    const rest = [2, 3, 4].map(track);
    await tick();
    expect(answered).toEqual([]); // nothing is answered before its commit
    release();
    expect(await first).toBe('ok-1');
    expect(await Promise.all(rest)).toEqual(['ok-2', 'ok-3', 'ok-4']);
    expect(groups).toEqual([[1], [2, 3, 4]]);
  });

  it('caps the group size', async () => {
    const groups: number[] = [];
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        groups.push(items.length);
        return [...items];
      },
      { maxBatchSize: 3 },
    );
    await Promise.all(Array.from({ length: 7 }, (_, i) => queue.submit(i)));
    expect(groups).toEqual([3, 3, 1]);
  });

  it('retries a failed group item by item so one bad item fails alone', async () => {
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        if (items.includes(13)) throw new Error('bad item');
        return items.map((i) => i * 2);
      },
      { maxBatchSize: 10 },
    );
    const results = await Promise.allSettled([1, 13, 3].map((i) => queue.submit(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<number>).value).toBe(2);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad item'));
  });

  it('drain waits for in-flight commits', async () => {
    let committed = false;
    const queue = new GroupCommitQueue<number, number>(
      async (items) => {
        await tick();
        committed = true;
        return [...items];
      },
      { maxBatchSize: 10 },
    );
    void queue.submit(1);
    await queue.drain();
    expect(committed).toBe(true);
  });
});
