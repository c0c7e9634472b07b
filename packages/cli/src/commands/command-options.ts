// What every command shares: examples in its --help, the --json flag, its connection settings, and
// the choice between the server and --direct.
import { type Command, InvalidArgumentError } from 'commander';
import { ingoClient, ingoCredentials } from '../connection/ingo.js';
import { ServerApi } from '../connection/server-api.js';
import {
  type ConnectionFlags,
  INGO_SETTINGS,
  SERVER_SETTINGS,
  Settings,
  withSettings,
} from '../connection/settings.js';
import type { CliIO } from '../output/io.js';
import { directStager, type Stager, serverStager } from '../payouts/stager.js';

/** Appends an "Examples:" block to the command's --help. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

export function withJson(command: Command): Command {
  return command.option('--json', 'print JSON (the shapes are documented in packages/cli/README.md)');
}

export function settingsOf(command: Command, io: CliIO): Settings {
  return new Settings(command.opts<ConnectionFlags>(), io.env);
}

/** Server flags, plus --direct and the Ingo flags. */
export function withStagingTarget(command: Command): Command {
  withSettings(command, SERVER_SETTINGS);
  command.option('--direct', 'stage straight to Ingo (or the sandbox) with the SDK instead of through the server');
  return withSettings(command, INGO_SETTINGS);
}

export async function stagerFor(command: Command, io: CliIO): Promise<Stager> {
  const settings = settingsOf(command, io);
  if (command.opts<{ direct?: boolean }>().direct) return directStager(ingoClient(await ingoCredentials(settings)));
  return serverStager(ServerApi.from(settings));
}

/** A whole-number flag value (commander parser): a bad one is a usage error naming the flag. */
export function positiveInteger({ allowZero = false } = {}) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || (!allowZero && n === 0)) {
      throw new InvalidArgumentError(allowZero ? 'must be a whole number ≥ 0' : 'must be a positive whole number');
    }
    return n;
  };
}
