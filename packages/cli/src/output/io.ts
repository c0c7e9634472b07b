// Where a command writes. Injected (bin.ts passes the process's streams) so tests can run the program
// in-process; only `env` and `out` are required, everything else has a quiet default.

export interface CliIO {
  env: NodeJS.ProcessEnv;
  /** One line of data on stdout. */
  out: (line: string) => void;
  /** One line of diagnostics on stderr (progress, warnings). */
  err?: (line: string) => void;
  /** Raw text on stderr without a newline (a progress bar redraws its line). */
  errRaw?: (text: string) => void;
  /** stdout is a terminal: tables may be coloured. */
  stdoutIsTTY?: boolean;
  /** stderr is a terminal: progress is a bar, not lines. */
  stderrIsTTY?: boolean;
}

export function warn(io: CliIO, line: string): void {
  (io.err ?? (() => {}))(line);
}

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourEnabled(io: CliIO): boolean {
  return io.stdoutIsTTY === true && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '');
}

/** `--json` output: one JSON document, stable shapes documented in the README. */
export function printJson(io: CliIO, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
