// The one error type of the command line: a message for stderr (one line), a hint that says what to do
// next, and the exit code (1 failure, 2 usage). bin.ts maps everything else (SDK errors, commander's
// usage errors) onto this shape, so every failure reads the same.

export type ExitCode = 1 | 2;

export class CliError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode: ExitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A mistake in how the command was called: exit code 2. */
export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, hint, 2);
}
