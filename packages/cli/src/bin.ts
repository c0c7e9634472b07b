#!/usr/bin/env node
// The `notifykit` executable (launched by bin/notifykit.js). Exit codes: 0 ok, 1 failure, 2 usage error;
// every error is one line on stderr, with a hint where there is one.
import { CommanderError } from 'commander';
import { describeError } from './error-report.js';
import { buildProgram } from './program.js';

const program = buildProgram({
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  errRaw: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
});
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end with exit code 0; anything else commander refuses is a usage error.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const { line, exitCode } = describeError(error);
  process.stderr.write(`${line}\n`);
  process.exit(exitCode);
}
