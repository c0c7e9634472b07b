// Who may call the sandbox, and the program settings Ingo fixes per participant at onboarding
// (OTAC on/off, contact rules, a daily velocity limit). Parsed from `--credentials`.

import { amountToCents, ConfigurationError } from '@notifykit/sdk';

export interface SandboxCredential {
  username: string;
  /** HMAC key; never logged, never printed unless it is a development default. */
  secret: string;
  participantId: number;
  /** The program uses one-time access codes: `authentication_records` optional, `recipient.mobile` required. */
  otac?: boolean;
  /** Daily velocity limit in decimal dollars (`"5000.00"`); unlimited when absent. Exceeding it is status 610. */
  dailyLimit?: string;
  /** `recipient.email` required (default true). */
  requireEmail?: boolean;
  /** Phone numbers 10 digits, `state` two letters, `zip` 5 digits or ZIP+4 (default true). */
  strictContact?: boolean;
}

export interface ResolvedCredential {
  username: string;
  secret: string;
  participantId: number;
  otac: boolean;
  requireEmail: boolean;
  strictContact: boolean;
  /** Integer cents, or null for no limit. */
  dailyLimitCents: number | null;
  /** True for the built-in development credentials, whose secrets may be printed. */
  development: boolean;
}

/** Printed at start and used when no `--credentials` is given. Never valid against a real Ingo. */
export const DEVELOPMENT_CREDENTIALS: readonly SandboxCredential[] = [
  {
    username: 'dev',
    secret: 'dev-secret-not-for-production',
    participantId: 12345,
    otac: false,
    requireEmail: true,
    strictContact: true,
  },
  {
    username: 'dev-otac',
    secret: 'dev-otac-secret-not-for-production',
    participantId: 12346,
    otac: true,
    requireEmail: true,
    strictContact: true,
  },
];

/** Signs the sandbox's webhooks when `--webhook-secret` is not given. */
export const DEVELOPMENT_WEBHOOK_SECRET = 'dev-webhook-secret-not-for-production';

const USERNAME_PATTERN = /^[^\s",:]+$/;

/**
 * Parses `username:secret:participantId[:otac][:limit=5000.00][:email-optional][:lenient-contact]`,
 * entries separated by commas. Error messages name the entry by position, never by content: an entry
 * holds a secret.
 */
export function parseCredentials(spec: string): SandboxCredential[] {
  const entries = spec
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new ConfigurationError('--credentials is empty');
  return entries.map((entry, index) => {
    const where = `--credentials entry ${index + 1}`;
    const [username, secret, participant, ...options] = entry.split(':');
    if (username === undefined || secret === undefined || participant === undefined) {
      throw new ConfigurationError(`${where}: expected username:secret:participantId[:options]`);
    }
    const credential: SandboxCredential = { username, secret, participantId: Number(participant) };
    for (const option of options) {
      if (option === 'otac') credential.otac = true;
      else if (option === 'email-optional') credential.requireEmail = false;
      else if (option === 'lenient-contact') credential.strictContact = false;
      else if (option.startsWith('limit=')) credential.dailyLimit = option.slice('limit='.length);
      else
        throw new ConfigurationError(
          `${where}: unknown option #${options.indexOf(option) + 1} (allowed: otac, limit=<dollars>, email-optional, lenient-contact)`,
        );
    }
    return credential;
  });
}

/** Checks and completes credentials; throws ConfigurationError naming the entry by position. */
export function resolveCredentials(credentials: readonly SandboxCredential[] | undefined): ResolvedCredential[] {
  const development = credentials === undefined;
  const list = credentials ?? DEVELOPMENT_CREDENTIALS;
  if (list.length === 0) throw new ConfigurationError('at least one credential is required');
  const seenUsers = new Set<string>();
  const seenParticipants = new Set<number>();
  return list.map((c, index) => {
    const where = `credential ${index + 1}`;
    if (typeof c.username !== 'string' || !USERNAME_PATTERN.test(c.username)) {
      throw new ConfigurationError(`${where}: username must be non-empty, without spaces, quotes, commas or colons`);
    }
    if (typeof c.secret !== 'string' || c.secret === '' || /[,:]/.test(c.secret)) {
      throw new ConfigurationError(`${where} (${c.username}): secret must be non-empty, without commas or colons`);
    }
    if (!Number.isSafeInteger(c.participantId) || c.participantId <= 0) {
      throw new ConfigurationError(`${where} (${c.username}): participantId must be a positive integer`);
    }
    if (seenUsers.has(c.username)) throw new ConfigurationError(`${where}: username ${c.username} is repeated`);
    if (seenParticipants.has(c.participantId)) {
      throw new ConfigurationError(`${where}: participantId ${c.participantId} is repeated`);
    }
    seenUsers.add(c.username);
    seenParticipants.add(c.participantId);
    let dailyLimitCents: number | null = null;
    if (c.dailyLimit !== undefined) {
      const cents = amountToCents(c.dailyLimit);
      if (cents === undefined) {
        throw new ConfigurationError(`${where} (${c.username}): limit must be decimal dollars such as 5000.00`);
      }
      dailyLimitCents = cents;
    }
    return {
      username: c.username,
      secret: c.secret,
      participantId: c.participantId,
      otac: c.otac ?? false,
      requireEmail: c.requireEmail ?? true,
      strictContact: c.strictContact ?? true,
      dailyLimitCents,
      development,
    };
  });
}
