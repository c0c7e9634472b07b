// Connection settings, each resolved the same way: the command's flag, then the environment, then the
// profile written by `notifykit login`. `describeSettings` says where each came from and never shows a
// secret's value.
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { type Profile, type ProfileKey, readProfile } from './profile.js';

interface SettingSpec {
  flag: string;
  env: string;
  profile: ProfileKey;
  secret: boolean;
  describe: string;
}

export const SETTINGS = {
  serverUrl: {
    flag: '--server-url',
    env: 'NOTIFYKIT_SERVER_URL',
    profile: 'server_url',
    secret: false,
    describe: 'notifykit server URL (default http://127.0.0.1:3000)',
  },
  apiToken: {
    flag: '--api-token',
    env: 'NOTIFYKIT_API_TOKEN',
    profile: 'api_token',
    secret: true,
    describe: 'server API token (prefer the environment or `notifykit login`: flags show in ps)',
  },
  ingoBaseUrl: {
    flag: '--ingo-base-url',
    env: 'INGO_BASE_URL',
    profile: 'ingo_base_url',
    secret: false,
    describe: 'Ingo gateway or the local sandbox, e.g. http://127.0.0.1:4010',
  },
  ingoUsername: {
    flag: '--ingo-username',
    env: 'INGO_USERNAME',
    profile: 'ingo_username',
    secret: false,
    describe: 'Ingo username',
  },
  ingoSecret: {
    flag: '--ingo-secret',
    env: 'INGO_SECRET',
    profile: 'ingo_secret',
    secret: true,
    describe: 'Ingo HMAC secret (prefer the environment: flags show in ps)',
  },
  ingoParticipantId: {
    flag: '--ingo-participant-id',
    env: 'INGO_PARTICIPANT_ID',
    profile: 'ingo_participant_id',
    secret: false,
    describe: 'Ingo participant id',
  },
  webhookSecret: {
    flag: '--webhook-secret',
    env: 'INGO_WEBHOOK_SECRET',
    profile: 'webhook_secret',
    secret: true,
    describe: 'X-Ingo-Signature secret (prefer the environment: flags show in ps)',
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;
export type ConnectionFlags = Partial<Record<SettingName, string>>;
export type Source = 'flag' | 'env' | 'profile' | 'default';

export interface Resolved {
  value: string;
  source: Source;
}

export const SERVER_SETTINGS: readonly SettingName[] = ['serverUrl', 'apiToken'];
export const INGO_SETTINGS: readonly SettingName[] = ['ingoBaseUrl', 'ingoUsername', 'ingoSecret', 'ingoParticipantId'];

/** Adds the flags of these settings to a command. */
export function withSettings(command: Command, names: readonly SettingName[]): Command {
  for (const name of names) {
    const spec = SETTINGS[name];
    command.option(`${spec.flag} <value>`, `${spec.describe} (env ${spec.env})`);
  }
  return command;
}

export class Settings {
  #profile: Profile | undefined;
  constructor(
    private readonly flags: ConnectionFlags,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  private profile(): Profile {
    this.#profile ??= readProfile(this.env);
    return this.#profile;
  }

  get(name: SettingName): Resolved | undefined {
    const spec = SETTINGS[name];
    const flag = this.flags[name];
    if (flag !== undefined && flag !== '') return { value: flag, source: 'flag' };
    const env = this.env[spec.env];
    if (env !== undefined && env !== '') return { value: env, source: 'env' };
    const stored = this.profile()[spec.profile];
    if (stored !== undefined) return { value: stored, source: 'profile' };
    return undefined;
  }

  require(name: SettingName, hint?: string): string {
    const found = this.get(name);
    if (found !== undefined) return found.value;
    const spec = SETTINGS[name];
    throw new CliError(
      `${spec.env} is not set`,
      hint ?? `pass ${spec.flag}, export ${spec.env}, or save it with \`notifykit login\``,
    );
  }
}

/** Where each setting comes from, secrets masked: `ingo_secret: set (env INGO_SECRET)`. */
export function describeSettings(settings: Settings): { name: string; value: string | null; source: Source | null }[] {
  return (Object.keys(SETTINGS) as SettingName[]).map((name) => {
    const spec = SETTINGS[name];
    const found = settings.get(name);
    return {
      name: spec.profile,
      value: found === undefined ? null : spec.secret ? '(set, not shown)' : found.value,
      source: found?.source ?? null,
    };
  });
}
