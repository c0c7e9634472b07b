// The webhook URL: checked once when it is configured (at start or through the control API), and shown
// without its secrets. Receivers often carry a credential in it (`https://user:token@host/…`,
// `?token=…`): the sandbox must know the real URL to deliver, but logs and the start banner show it
// without those parts.

import { ConfigurationError } from '@notifykit/sdk';

/** The webhook URL in canonical form; throws ConfigurationError unless it is an absolute http(s) URL. */
export function normalizeWebhookUrl(text: unknown): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof text === 'string' ? new URL(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigurationError('webhookUrl must be an absolute http(s) URL');
  }
  return parsed.href;
}

/** The URL with its password and every query value replaced by `REDACTED`; unparsable text is hidden whole. */
export function redactedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[REDACTED]';
  }
  if (parsed.password !== '') parsed.password = 'REDACTED';
  for (const key of new Set(parsed.searchParams.keys())) parsed.searchParams.set(key, 'REDACTED');
  return parsed.href;
}
