// Group commit: webhooks that arrive while a transaction is committing wait and are committed together
// in the next one, so one fsync serves many deliveries. Each caller is answered only after the
// transaction that holds its item has committed. If a group fails, its items are retried one by one
// so a single bad item fails alone.

export type BatchProcessor<T, R> = (items: readonly T[]) => Promise<R[]>;

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  maxBatchSize: number;
  /** Called with the size of every committed group (metrics). */
  onBatch?: (size: number) => void;
}

export class GroupCommitQueue<T, R> {
  private queue: Pending<T, R>[] = [];
  private flushing = false;
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly process: BatchProcessor<T, R>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing is queued or committing (for graceful shutdown). */
  drain(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after pending I/O callbacks, so requests that arrived during the previous
    // commit are parsed and queued before the next group is cut.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    if (this.queue.length === 0) {
      this.notifyIdle();
      return;
    }
    this.flushing = true;
    const group = this.queue.splice(0, this.options.maxBatchSize);
    let settle: () => void;
    try {
      settle = await this.commitGroup(group);
    } finally {
      this.flushing = false;
    }
    // The next group goes to the committer before this one is answered: writing responses takes time
    // the committer would otherwise spend waiting.
    if (this.queue.length > 0) void this.flush();
    settle();
    if (!this.flushing && this.queue.length === 0) this.notifyIdle();
  }

  /** Commits a group; returns the function that answers its callers. */
  private async commitGroup(group: Pending<T, R>[]): Promise<() => void> {
    try {
      const results = await this.process(group.map((p) => p.item));
      this.options.onBatch?.(group.length);
      return () => {
        group.forEach((p, i) => {
          p.resolve(results[i] as R);
        });
      };
    } catch (error) {
      if (group.length === 1) return () => group[0]!.reject(error);
    }
    const outcomes: (() => void)[] = [];
    for (const pending of group) {
      try {
        const [result] = await this.process([pending.item]);
        this.options.onBatch?.(1);
        outcomes.push(() => pending.resolve(result as R));
      } catch (error) {
        outcomes.push(() => pending.reject(error));
      }
    }
    return () => {
      for (const answer of outcomes) answer();
    };
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
