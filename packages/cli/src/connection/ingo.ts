// Talking to Ingo (or the sandbox) directly with the SDK, for `--direct` and the sandbox commands.
// Against a loopback URL (the local sandbox) missing credentials take the sandbox's development
// credentials, as the server does in development mode; anywhere else every value is required.
import { IngoClient } from '@notifykit/sdk';
import { CliError } from '../cli-error.js';
import type { Settings } from './settings.js';

export const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:4010';

export interface IngoCredentials {
  baseUrl: string;
  username: string;
  secret: string;
  participantId: string;
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

export async function ingoCredentials(settings: Settings): Promise<IngoCredentials> {
  const baseUrl = settings.get('ingoBaseUrl')?.value ?? DEFAULT_SANDBOX_URL;
  const username = settings.get('ingoUsername')?.value;
  const secret = settings.get('ingoSecret')?.value;
  const participantId = settings.get('ingoParticipantId')?.value;
  if (username !== undefined && secret !== undefined && participantId !== undefined) {
    return { baseUrl, username, secret, participantId };
  }
  if (!isLoopback(baseUrl)) {
    const missing = (['ingoUsername', 'ingoSecret', 'ingoParticipantId'] as const).find((n) => !settings.get(n));
    settings.require(
      missing ?? 'ingoSecret',
      `calls to ${baseUrl} need INGO_USERNAME, INGO_SECRET and INGO_PARTICIPANT_ID`,
    );
  }
  // Loaded only here: the sandbox package is large, and only a local sandbox needs its defaults.
  const { DEVELOPMENT_CREDENTIALS } = await import('@notifykit/sandbox');
  const dev = DEVELOPMENT_CREDENTIALS[0];
  if (dev === undefined) throw new CliError('the sandbox has no development credentials', 'pass INGO_* settings');
  return {
    baseUrl,
    username: username ?? dev.username,
    secret: secret ?? dev.secret,
    participantId: participantId ?? String(dev.participantId),
  };
}

export function ingoClient(credentials: IngoCredentials, options: { maxRetries?: number } = {}): IngoClient {
  return new IngoClient({
    baseUrl: credentials.baseUrl,
    username: credentials.username,
    secret: credentials.secret,
    participantId: credentials.participantId,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
}
