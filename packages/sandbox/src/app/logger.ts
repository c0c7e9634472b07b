// Structured JSON logs (pino, to stderr so stdout carries only the banner and the `listening on` line).
// Every log object passes through the SDK's redact(): secrets, signatures and client_provided_values
// are replaced wherever they sit, even if a future log call passes a request body by mistake; raw bytes
// (the request bytes Node attaches to a client error) are logged as their length only.

import { redactLogFields } from '@notifykit/sdk';
import { type DestinationStream, type Logger, pino } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'notifykit-sandbox' },
      formatters: { log: (object) => redactLogFields(object) },
      // Errors are already flattened by redactLogFields; pino's own err serializer would rename their type.
      serializers: { err: (err: unknown) => err },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.webhookSecret'] },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
