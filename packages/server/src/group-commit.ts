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
    try {
      await this.commitGroup(group);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
      else this.notifyIdle();
    }
  }

  private async commitGroup(group: Pending<T, R>[]): Promise<void> {
    try {
      const results = await this.process(group.map((p) => p.item));
      this.options.onBatch?.(group.length);
      group.forEach((p, i) => {
        p.resolve(results[i] as R);
      });
      return;
    } catch (error) {
      if (group.length === 1) {
        group[0]!.reject(error);
        return;
      }
    }
    for (const pending of group) {
      try {
        const [result] = await this.process([pending.item]);
        this.options.onBatch?.(1);
        pending.resolve(result as R);
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
