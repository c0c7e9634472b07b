// Progress of a bulk run on stderr: a redrawn bar with rate and ETA on a terminal, a plain line every
// few seconds otherwise (logs, CI, pipes).
import type { CliIO } from '../output/io.js';

const PLAIN_EVERY_MS = 2000;
const BAR_WIDTH = 30;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${s}s`;
}

export class Progress {
  #done = 0;
  #failed = 0;
  readonly #started = performance.now();
  #lastPlain = 0;

  constructor(
    private readonly io: CliIO,
    private readonly total: number,
  ) {}

  tick(ok: boolean): void {
    if (ok) this.#done++;
    else this.#failed++;
    this.#render(false);
  }

  finish(): void {
    this.#render(true);
    if (this.io.stderrIsTTY) this.io.errRaw?.('\n');
  }

  #render(final: boolean): void {
    const count = this.#done + this.#failed;
    const elapsed = (performance.now() - this.#started) / 1000;
    const rate = elapsed > 0 ? count / elapsed : 0;
    const eta = rate > 0 ? (this.total - count) / rate : Number.POSITIVE_INFINITY;
    const percent = this.total === 0 ? 100 : Math.floor((count / this.total) * 100);
    const summary = `${count}/${this.total} (${percent}%) ${rate.toFixed(1)} rows/s ETA ${duration(eta)}${this.#failed > 0 ? `, ${this.#failed} failed` : ''}`;
    if (this.io.stderrIsTTY && this.io.errRaw) {
      const filled = this.total === 0 ? BAR_WIDTH : Math.round((count / this.total) * BAR_WIDTH);
      this.io.errRaw(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${summary}\u001b[K`);
      return;
    }
    const now = performance.now();
    if (final || now - this.#lastPlain >= PLAIN_EVERY_MS) {
      this.#lastPlain = now;
      this.io.err?.(`progress: ${summary}`);
    }
  }
}
