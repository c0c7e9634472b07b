// `notifykit verify-request` and `verify-webhook`: check a signature the way the gateway (Kong) and the
// server do, and when it fails say exactly why (the SDK's diagnosis: which header, digest length, hex vs
// base64, clock skew, wrong secret). What an integrator reaches for on the first 401.
import {
  SignatureVerificationError,
  type SigningAlgorithm,
  verifyRequestSignature,
  verifyWebhook,
  type WebhookAlgorithm,
  type WebhookEncoding,
  WebhookVerificationError,
} from '@notifykit/sdk';
import { type Command, Option } from 'commander';
import { CliError, usageError } from '../../cli-error.js';
import { withSettings } from '../../connection/settings.js';
import { type CliIO, printJson } from '../../output/io.js';
import { positiveInteger, settingsOf, withExamples, withJson } from '../command-options.js';
import { bodyOf, collect, headersOf } from './request-parts.js';

function verdict(io: CliIO, json: boolean, result: Record<string, unknown>, okLine: string): void {
  if (json) printJson(io, result);
  if (result.valid !== true) {
    throw new CliError(`signature invalid (${String(result.code)}): ${String(result.reason)}`, String(result.hint));
  }
  if (!json) io.out(okLine);
}

function registerVerifyRequest(program: Command, io: CliIO): void {
  const command = program
    .command('verify-request')
    .description('verify a signed gateway request as Ingo does, and say why it fails')
    .requiredOption('--path <path>', 'request target as received, with query')
    .option('--method <method>', 'HTTP method', 'POST')
    .option(
      '--header <name: value>',
      'a received header, repeatable (Authorization, X-Date, Content-sha512, …)',
      collect,
    )
    .option('--body <text>', 'the body as received')
    .option('--body-file <file>', 'the body as received, from a file')
    .option('--now <date>', 'the clock for the skew check (default now)')
    .option('--clock-skew <seconds>', 'allowed X-Date skew', positiveInteger({ allowZero: true }), 300);
  withJson(withSettings(command, ['ingoUsername', 'ingoSecret']));
  withExamples(command, [
    `notifykit verify-request --path /gateway/v3/notify --header "Authorization: hmac username=…" --header "X-Date: …" --header "Content-sha512: …" --header "Content-Length: 17" --body '{"amount":"25.00"}'`,
  ]);
  command.action(
    (opts: {
      path: string;
      method: string;
      header?: string[];
      body?: string;
      bodyFile?: string;
      now?: string;
      clockSkew: number;
      json?: boolean;
    }) => {
      const settings = settingsOf(command, io);
      const secret = settings.require(
        'ingoSecret',
        'export the secret the request should be signed with as INGO_SECRET',
      );
      const username = settings.get('ingoUsername')?.value;
      const headers = headersOf(opts.header ?? []);
      const now = opts.now === undefined ? Date.now() : Date.parse(opts.now);
      if (Number.isNaN(now)) throw usageError(`--now "${opts.now}" is not a date`);
      const request = { method: opts.method, path: opts.path, headers, body: bodyOf(opts) };
      try {
        const ok = verifyRequestSignature(request, {
          secrets: (u) => (username === undefined || u === username ? secret : undefined),
          now,
          clockSkewSeconds: opts.clockSkew,
        });
        verdict(
          io,
          opts.json === true,
          { valid: true, username: ok.username, algorithm: ok.algorithm as SigningAlgorithm },
          `valid: signed by ${ok.username} with ${ok.algorithm}`,
        );
      } catch (error) {
        if (!(error instanceof SignatureVerificationError)) throw error;
        verdict(
          io,
          opts.json === true,
          {
            valid: false,
            code: error.code,
            ingo_message: error.message,
            reason: error.detail,
            hint: `Ingo answers 401 "${error.message}"; \`notifykit sign\` shows what a correct signature looks like`,
          },
          '',
        );
      }
    },
  );
}

function registerVerifyWebhook(program: Command, io: CliIO): void {
  const command = program
    .command('verify-webhook')
    .description("verify a webhook's X-Ingo-Signature over its raw body, and say why it fails")
    .option('--signature <value>', 'the X-Ingo-Signature header value')
    .option('--body <text>', 'the raw body as received')
    .option('--body-file <file>', 'the raw body as received, from a file (recommended: exact bytes)')
    .addOption(new Option('--algorithm <alg>', 'HMAC hash').choices(['sha512', 'sha256']).default('sha512'))
    .addOption(new Option('--encoding <enc>', 'signature encoding').choices(['base64', 'hex']).default('base64'));
  withJson(withSettings(command, ['webhookSecret']));
  withExamples(command, [
    'INGO_WEBHOOK_SECRET=… notifykit verify-webhook --body-file event.json --signature "q1w2…=="',
    'notifykit verify-webhook --body-file event.json --signature abcd… --encoding hex --json',
  ]);
  command.action(
    (opts: {
      signature?: string;
      body?: string;
      bodyFile?: string;
      algorithm: WebhookAlgorithm;
      encoding: WebhookEncoding;
      json?: boolean;
    }) => {
      const secret = settingsOf(command, io).require(
        'webhookSecret',
        'export the webhook secret as INGO_WEBHOOK_SECRET',
      );
      const rawBody = bodyOf(opts);
      try {
        const event = verifyWebhook({
          rawBody,
          headers: opts.signature === undefined ? {} : { 'x-ingo-signature': opts.signature },
          secrets: secret,
          scheme: { algorithm: opts.algorithm, encoding: opts.encoding },
        });
        verdict(
          io,
          opts.json === true,
          {
            valid: true,
            event: {
              id: event.id,
              topic: event.topic,
              notification_id: event.notificationId,
              participant_unique_id1: event.participantUniqueId1,
            },
          },
          `valid: ${event.topic} (event ${event.id}, notification ${event.notificationId || '-'})`,
        );
      } catch (error) {
        if (!(error instanceof WebhookVerificationError)) throw error;
        verdict(
          io,
          opts.json === true,
          {
            valid: false,
            code: error.code,
            reason: error.message,
            hint: 'verify the raw bytes exactly as received, with the secret the sender signs with',
          },
          '',
        );
      }
    },
  );
}

export function registerVerify(program: Command, io: CliIO): void {
  registerVerifyRequest(program, io);
  registerVerifyWebhook(program, io);
}
