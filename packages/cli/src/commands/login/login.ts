// `notifykit login` saves connection settings to the profile (mode 0600); `notifykit config` shows what
// every command will use and where each value comes from — secrets as "(set, not shown)", never printed.
import type { Command } from 'commander';
import { usageError } from '../../cli-error.js';
import { readProfile, writeProfile } from '../../connection/profile.js';
import { describeSettings, SETTINGS, type SettingName, Settings, withSettings } from '../../connection/settings.js';
import { dash } from '../../output/format.js';
import { type CliIO, printJson } from '../../output/io.js';
import { renderTable } from '../../output/table.js';
import { settingsOf, withExamples, withJson } from '../command-options.js';

const ALL = Object.keys(SETTINGS) as SettingName[];

export function registerLogin(program: Command, io: CliIO): void {
  const login = withSettings(program.command('login'), ALL).description(
    'save connection settings to ~/.config/notifykit/config.json (mode 0600); flags, else the current environment',
  );
  withExamples(login, [
    'notifykit login --server-url http://127.0.0.1:3000 --api-token notifykit-dev-api-token',
    'INGO_USERNAME=acme INGO_SECRET=… INGO_PARTICIPANT_ID=12345 notifykit login --ingo-base-url https://payapi-sandbox.ingo.money',
  ]);
  login.action(() => {
    const settings = settingsOf(login, io);
    const profile = readProfile(io.env);
    const saved: string[] = [];
    for (const name of ALL) {
      const found = settings.get(name);
      if (found !== undefined && found.source !== 'profile') {
        profile[SETTINGS[name].profile] = found.value;
        saved.push(SETTINGS[name].profile);
      }
    }
    if (saved.length === 0)
      throw usageError(
        'nothing to save: pass at least one setting',
        'e.g. notifykit login --server-url … --api-token …',
      );
    const path = writeProfile(io.env, profile);
    io.out(`saved ${saved.join(', ')} to ${path} (mode 0600)`);
  });

  const config = withJson(withSettings(program.command('config'), ALL)).description(
    'show the connection settings commands will use and where each comes from (secrets never shown)',
  );
  withExamples(config, ['notifykit config', 'notifykit config --json']);
  config.action((opts: { json?: boolean }) => {
    const rows = describeSettings(new Settings(config.opts(), io.env));
    if (opts.json) return printJson(io, rows);
    for (const line of renderTable(
      ['SETTING', 'VALUE', 'FROM'],
      rows.map((r) => [r.name, dash(r.value), dash(r.source)]),
    ))
      io.out(line);
  });
}
