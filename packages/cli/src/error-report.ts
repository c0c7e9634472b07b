// Any error → the one stderr line and exit code of the command line. CliError says it all already; the
// SDK's errors get a hint by kind. SDK messages never contain secrets, and neither do ours.
import {
  ConfigurationError,
  IngoApiError,
  NetworkError,
  NotifykitError,
  TimeoutError,
  ValidationError,
} from '@notifykit/sdk';
import { CliError, type ExitCode } from './cli-error.js';

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

function asCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof ValidationError) return new CliError(error.message, 'fix the fields named above', 1);
  if (error instanceof ConfigurationError)
    return new CliError(error.message, 'check the connection settings (`notifykit config`)', 2);
  if (error instanceof IngoApiError)
    return new CliError(`Ingo refused: ${error.message}`, 'see docs/ingo-contract.md for the status code');
  if (error instanceof NetworkError || error instanceof TimeoutError) {
    return new CliError(error.message, 'is Ingo (or the sandbox) reachable at INGO_BASE_URL?');
  }
  if (error instanceof NotifykitError) return new CliError(error.message);
  return new CliError(
    error instanceof Error ? error.message : String(error),
    'this is a bug in notifykit: please report it',
  );
}

export function describeError(error: unknown): { line: string; exitCode: ExitCode } {
  const cli = asCliError(error);
  const hint = cli.hint === undefined ? '' : ` (hint: ${oneLine(cli.hint)})`;
  return { line: `notifykit: ${oneLine(cli.message)}${hint}`, exitCode: cli.exitCode };
}
