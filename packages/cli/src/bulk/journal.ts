// The resume journal of a bulk run: one JSON line per fact, fsynced — `sending` before a row's request
// goes out, `done`/`failed` after its answer. A re-run skips every key that is `done` and re-sends the
// rest with the same idempotency key, so a run killed at any point (even between send and answer)
// stages each row exactly once. Appends are group-committed: concurrent rows share one fsync.
import { existsSync, readFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { CliError } from '../cli-error.js';

export type JournalEntry =
  | { state: 'sending'; key: string; row: number }
  | {
      state: 'done';
      key: string;
      row: number;
      disbursement_id: string | null;
      notification_id: string | null;
      status: string;
      replayed: boolean;
    }
  | { state: 'failed'; key: string; row: number; error: string };

export type Finished = Extract<JournalEntry, { state: 'done' }>;

/** The `done` entries of an earlier run, by key (a torn last line from a kill is ignored). */
export function readJournal(path: string): Map<string, Finished> {
  const done = new Map<string, Finished>();
  if (!existsSync(path)) return done;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      continue;
    }
    if (entry.state === 'done') done.set(entry.key, entry);
  }
  return done;
}

export class Journal {
  #pending: string[] = [];
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #flushing = false;

  private constructor(private readonly file: FileHandle) {}

  static async open(path: string): Promise<Journal> {
    try {
      return new Journal(await open(path, 'a'));
    } catch (error) {
      throw new CliError(
        `cannot open the journal ${path}: ${(error as NodeJS.ErrnoException).code}`,
        'pass --journal <path> somewhere writable',
      );
    }
  }

  /** Resolves once the entry is on disk (written and fsynced). */
  append(entry: JournalEntry): Promise<void> {
    this.#pending.push(`${JSON.stringify(entry)}\n`);
    const written = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#flushing) void this.#flush();
    return written;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) {
      const lines = this.#pending.splice(0);
      const waiters = this.#waiters.splice(0);
      try {
        await this.file.write(lines.join(''));
        await this.file.datasync();
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
    this.#flushing = false;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
