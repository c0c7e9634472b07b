// The profile file `notifykit login` writes: $XDG_CONFIG_HOME/notifykit/config.json (default
// ~/.config/notifykit/config.json), mode 0600 because it may hold the API token and the Ingo secret.
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from '../cli-error.js';

/** Every key a profile may hold; the names match the `login` flags. */
export const PROFILE_KEYS = [
  'server_url',
  'api_token',
  'ingo_base_url',
  'ingo_username',
  'ingo_secret',
  'ingo_participant_id',
  'webhook_secret',
] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];
export type Profile = Partial<Record<ProfileKey, string>>;

export function profilePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'notifykit', 'config.json');
}

export function readProfile(env: NodeJS.ProcessEnv): Profile {
  const path = profilePath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read the profile ${path}: ${(error as Error).message}`, 'check its permissions');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`the profile ${path} is not valid JSON`, 'fix it, or run `notifykit login` again');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`the profile ${path} is not a JSON object`, 'run `notifykit login` again');
  }
  const profile: Profile = {};
  for (const key of PROFILE_KEYS) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') profile[key] = value;
  }
  return profile;
}

/** Writes the profile atomically with mode 0600 (and the folder 0700). */
export function writeProfile(env: NodeJS.ProcessEnv, profile: Profile): string {
  const path = profilePath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return path;
}
