import { Command } from 'commander';
import { registerSignCommand, type SignCommandIO } from './sign-command.js';
import { CLI_VERSION } from './version.js';

/** Builds the `notifykit` command tree; `io` is injected so tests run it in-process. */
export function buildProgram(io: SignCommandIO): Command {
  const program = new Command('notifykit')
    .description('notifykit: pay people through Ingo Notify')
    .version(CLI_VERSION);
  program.exitOverride();
  registerSignCommand(program, io);
  return program;
}
