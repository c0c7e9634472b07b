// Structured JSON logs (pino, to stderr so stdout carries only the banner and the `listening on` line).
// Every log object passes through the SDK's redact(): secrets, signatures and client_provided_values
// are replaced wherever they sit, even if a future log call passes a request body by mistake.

import { redact } from '@notifykit/sdk';
import { type DestinationStream, type Logger, pino } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'notifykit-sandbox' },
      formatters: { log: (object) => redact(object) },
      redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.secret', '*.webhookSecret'] },
    },
    destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
