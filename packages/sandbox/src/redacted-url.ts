// Webhook URLs often carry a credential of the receiver (`https://user:token@host/…`, `?token=…`). The
// sandbox must know the real URL to deliver, but logs and the start banner show it without those parts.

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
