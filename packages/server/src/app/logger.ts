import { REDACTED, redactLogFields } from '@notifykit/sdk';
import pino, { type DestinationStream, type Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Every configured secret value; any occurrence in a log line is replaced, whatever the path. */
  secrets: readonly string[];
  destination?: DestinationStream | undefined;
}

// Structural redaction first (known header and field paths), then a last line of defence that
// scrubs the literal secret values from every serialized line, so a secret that reaches a log
// through an unexpected path (an error message, a URL) still never leaves the process.
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-ingo-signature"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-ingo-signature"]',
  '*.client_provided_value',
  '*.*.client_provided_value',
  '*.*.*.client_provided_value',
  '*.secret',
  '*.webhookSecret',
  '*.apiToken',
  '*.password',
  '*.encryptionKey',
  '*.email',
  '*.mobile',
  '*.phone',
  '*.address1',
  '*.address2',
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function createLogger(options: LoggerOptions): Logger {
  const literals = [...new Set(options.secrets.filter((s) => s.length >= 4))].sort((a, b) => b.length - a.length);
  // JSON-escaped forms too: a secret containing quotes or backslashes appears escaped in the line.
  const forms = literals.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  const scrub = forms.length === 0 ? undefined : new RegExp(forms.map(escapeRegExp).join('|'), 'g');
  return pino(
    {
      level: options.level,
      base: { service: 'notifykit-server' },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      // Every sensitive key at any depth (the SDK's list), even if a log call passes a body by mistake;
      // raw bytes (a client error's rawPacket) become their length, errors become {type, message, fields,
      // stack}. Runs before the path redaction above, which must never meet a Buffer (it crashed on one).
      formatters: { log: (object) => redactLogFields(object) },
      // Errors are already flattened by redactLogFields; pino's own err serializer would rename their type.
      serializers: { err: (err: unknown) => err },
      hooks: scrub
        ? {
            streamWrite: (line: string) => line.replace(scrub, REDACTED),
          }
        : {},
    },
    options.destination,
  );
}
