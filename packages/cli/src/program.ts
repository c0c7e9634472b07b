import { Command } from 'commander';
import { registerBulk } from './bulk/bulk-command.js';
import { registerCancel } from './commands/disbursements/cancel.js';
import { registerReads } from './commands/disbursements/reads.js';
import { registerStage } from './commands/disbursements/stage.js';
import { registerEvents } from './commands/events/events.js';
import { registerListen } from './commands/listen/listen.js';
import { registerLogin } from './commands/login/login.js';
import { registerSandbox } from './commands/sandbox/sandbox.js';
import { registerTrigger } from './commands/sandbox/trigger.js';
import { registerSignCommand } from './commands/signatures/sign.js';
import { registerVerify } from './commands/signatures/verify.js';
import type { CliIO } from './output/io.js';
import { CLI_VERSION } from './version.js';

/** Builds the `notifykit` command tree; `io` is injected so tests run it in-process. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('notifykit')
    .description(
      'notifykit: pay people through Ingo Notify — stage, follow, cancel, bulk CSV, listen, debug signatures',
    )
    .version(CLI_VERSION)
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Connection: flags > environment (NOTIFYKIT_SERVER_URL, NOTIFYKIT_API_TOKEN; INGO_BASE_URL, INGO_USERNAME,
INGO_SECRET, INGO_PARTICIPANT_ID for --direct, sign and the sandbox) > the profile \`notifykit login\` saves.
Exit codes: 0 ok, 1 failure, 2 usage error.

Examples:
  $ notifykit stage --file payout.json
  $ notifykit list --status funded --json
  $ notifykit bulk stage payouts.csv --skip-invalid
  $ notifykit events --follow`,
    );
  // Commander's own messages (unknown option, missing argument…) become our one-line stderr format;
  // subcommands inherit these settings because they are set before any command is added.
  program.exitOverride().configureOutput({
    writeOut: (text) => io.out(text.replace(/\n$/, '')),
    writeErr: (text) => (io.err ?? io.out)(text.replace(/\n$/, '')),
    outputError: (text, write) => write(`notifykit: ${text.trim().replace(/^error: /, '')} (see --help)\n`),
  });
  registerStage(program, io);
  registerCancel(program, io);
  registerReads(program, io);
  registerEvents(program, io);
  registerBulk(program, io);
  registerTrigger(program, io);
  registerSandbox(program, io);
  registerListen(program, io);
  registerSignCommand(program, io);
  registerVerify(program, io);
  registerLogin(program, io);
  return program;
}
