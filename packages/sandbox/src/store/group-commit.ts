// Group commit: writes that arrive in the same event-loop turn share one transaction, hence one fsync.
// With synchronous=FULL the fsync dominates a stage request; sharing it keeps every acknowledged write
// durable (nobody is answered before the commit) while the gateway serves many requests per fsync.
// Each job runs in its own savepoint, so a job that throws rolls back alone and fails alone.

export type RunInTransaction = <T>(fn: () => T) => T;

interface Job {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Upper bound of jobs per transaction, so one turn's backlog cannot hold the event loop for long. */
const MAX_JOBS_PER_COMMIT = 256;

export class GroupCommit {
  private queue: Job[] = [];
  private scheduled = false;

  /**
   * @param outer runs a function in one transaction and commits it.
   * @param inner runs a function in a savepoint of the current transaction.
   */
  constructor(
    private readonly outer: RunInTransaction,
    private readonly inner: RunInTransaction,
  ) {}

  /** Runs `fn` in a shared transaction; resolves with its result once that transaction has committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.queue.splice(0, MAX_JOBS_PER_COMMIT);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.outer(() => {
        for (const job of jobs) {
          try {
            outcomes.push({ ok: true, value: this.inner(job.fn) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
