// notifykit-sandbox: the command line around startSandbox. Prints the development credentials (never
// the secrets of credentials you passed) and then exactly one `listening on http://…` line on stdout;
// JSON logs go to stderr. SIGTERM/SIGINT stop it gracefully.

import { ConfigurationError, type WebhookAlgorithm, type WebhookEncoding } from '@notifykit/sdk';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  DEFAULT_DB,
  DEFAULT_DELIVERY_CONCURRENCY,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EmittedTopicDialect,
  type SandboxOptions,
} from '../config/config.js';
import { parseDuration } from '../config/durations.js';
import { redactedUrl } from '../config/webhook-url.js';
import { type SandboxHandle, startSandbox } from './start-sandbox.js';

const FORCED_EXIT_MS = 15_000;

function integer(min: number, max: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    const n = Number(text);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

function decimal(min: number, max: number) {
  return (text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a number from ${min} to ${max}`);
    }
    return n;
  };
}

function duration(defaultUnit: 'ms' | 's') {
  return (text: string): number => {
    try {
      return parseDuration(text, defaultUnit);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}

function buildCommand(): Command {
  return new Command('notifykit-sandbox')
    .description('A faithful, stateful local Ingo Notify: gateway, scenarios, control API, signed webhooks.')
    .option('--port <port>', 'TCP port (0 = a free port)', integer(0, 65_535), DEFAULT_PORT)
    .option('--host <host>', 'interface to bind', DEFAULT_HOST)
    .option('--db <path>', 'SQLite file, or :memory:', DEFAULT_DB)
    .option(
      '--credentials <list>',
      'username:secret:participantId[:otac][:limit=5000.00][:email-optional][:lenient-contact], comma-separated',
    )
    .option('--webhook-url <url>', 'where webhooks are POSTed (none: recorded, not delivered)')
    .option('--webhook-secret <secret>', 'HMAC key of X-Ingo-Signature (default: a printed development secret)')
    .addOption(
      new Option('--webhook-algorithm <alg>', 'X-Ingo-Signature HMAC').choices(['sha512', 'sha256']).default('sha512'),
    )
    .addOption(
      new Option('--webhook-encoding <enc>', 'X-Ingo-Signature encoding').choices(['base64', 'hex']).default('base64'),
    )
    .option('--webhook-timeout <duration>', 'attempt deadline (e.g. 10s, 500ms)', duration('ms'), 10_000)
    .option('--speed <factor>', 'virtual clock speed (0 = only move when told)', decimal(0, 1_000_000), 1)
    .option('--ttl <duration>', 'virtual time until an unclaimed disbursement expires (e.g. 30d, 2h)', duration('s'))
    .addOption(
      new Option('--topics <dialect>', 'webhook topic names').choices(['catalog', 'quickstart']).default('catalog'),
    )
    .option(
      '--retry-schedule <list>',
      'delays between attempts, e.g. 100ms,1s,5m (default 5s,30s,2m,10m,30m,1h,2h,4h,8h)',
    )
    .option('--duplicate-rate <p>', 'probability (0–1) of delivering an event twice', decimal(0, 1), 0)
    .option('--reorder [window]', 'delay first attempts by a random 0..window (default 1s) so events arrive shuffled')
    .option('--allow-reset', 'enable POST /_sandbox/reset', false)
    .option(
      '--delivery-concurrency <n>',
      'concurrent deliveries per webhook URL',
      integer(1, 256),
      DEFAULT_DELIVERY_CONCURRENCY,
    )
    .option(
      '--request-timeout <duration>',
      'headers and body must arrive within this, else 408 (e.g. 30s, 500ms)',
      duration('ms'),
      DEFAULT_REQUEST_TIMEOUT_MS,
    )
    .addOption(
      new Option('--log-level <level>', 'JSON log level (stderr)')
        .choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
        .default('info'),
    );
}

interface CommandOptions {
  port: number;
  host: string;
  db: string;
  credentials?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  webhookAlgorithm: WebhookAlgorithm;
  webhookEncoding: WebhookEncoding;
  webhookTimeout: number;
  speed: number;
  ttl?: number;
  topics: EmittedTopicDialect;
  retrySchedule?: string;
  duplicateRate: number;
  reorder?: string | boolean;
  allowReset: boolean;
  deliveryConcurrency: number;
  requestTimeout: number;
  logLevel: string;
}

function toSandboxOptions(o: CommandOptions): SandboxOptions {
  let reorderWindowMs = 0;
  if (o.reorder === true) reorderWindowMs = 1_000;
  else if (typeof o.reorder === 'string') {
    try {
      reorderWindowMs = parseDuration(o.reorder, 'ms');
    } catch (error) {
      throw new ConfigurationError(`--reorder: ${(error as Error).message}`);
    }
  }
  return {
    port: o.port,
    host: o.host,
    db: o.db,
    ...(o.credentials === undefined ? {} : { credentials: o.credentials }),
    ...(o.webhookUrl === undefined ? {} : { webhookUrl: o.webhookUrl }),
    ...(o.webhookSecret === undefined ? {} : { webhookSecret: o.webhookSecret }),
    webhookAlgorithm: o.webhookAlgorithm,
    webhookEncoding: o.webhookEncoding,
    webhookTimeoutMs: o.webhookTimeout,
    speed: o.speed,
    ...(o.ttl === undefined ? {} : { ttlMs: o.ttl }),
    topics: o.topics,
    ...(o.retrySchedule === undefined ? {} : { retrySchedule: o.retrySchedule }),
    duplicateRate: o.duplicateRate,
    reorderWindowMs,
    allowReset: o.allowReset,
    deliveryConcurrency: o.deliveryConcurrency,
    requestTimeoutMs: o.requestTimeout,
    logLevel: o.logLevel,
  };
}

function banner(sandbox: SandboxHandle): string {
  const { config } = sandbox;
  const lines: string[] = [];
  const development = config.credentials.some((c) => c.development);
  lines.push(
    development
      ? 'notifykit sandbox: development credentials (sandbox only, never valid against Ingo):'
      : 'notifykit sandbox: credentials from --credentials (secrets not shown):',
  );
  for (const c of config.credentials) {
    const rules = [c.otac ? 'OTAC on' : 'OTAC off'];
    if (c.dailyLimitCents !== null) rules.push(`daily limit ${(c.dailyLimitCents / 100).toFixed(2)}`);
    const secret = c.development ? ` secret=${c.secret}` : '';
    lines.push(`  username=${c.username}${secret} participant_id=${c.participantId} (${rules.join(', ')})`);
  }
  const secret = config.webhookSecretIsDevelopmentDefault
    ? `webhook secret=${config.webhookSecret} (development default)`
    : 'webhook secret from --webhook-secret';
  lines.push(
    config.webhookUrl === null
      ? `  webhooks: no --webhook-url, events are recorded but not delivered; ${secret}`
      : `  webhooks: ${redactedUrl(config.webhookUrl)}; ${secret}`,
  );
  return lines.join('\n');
}

/** Runs the sandbox from the command line until SIGTERM/SIGINT; exits the process on a bad flag or start failure. */
export async function runCommandLine(argv: readonly string[]): Promise<void> {
  // A usage error is one line naming the flag and exit 2 (the README's contract); help exits 0.
  const command = buildCommand()
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  try {
    command.parse(argv as string[], { from: 'node' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode !== 0) {
      const message =
        error.code === 'commander.excessArguments'
          ? `unexpected argument "${command.args[0]}": the sandbox takes flags only (see --help)`
          : error.message.replace(/^error: /, '');
      process.stderr.write(`notifykit-sandbox: ${message.trim()}\n`);
    }
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  let sandbox: SandboxHandle;
  try {
    sandbox = await startSandbox(toSandboxOptions(command.opts<CommandOptions>()));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message =
      error instanceof ConfigurationError
        ? error.message
        : code === 'EADDRINUSE'
          ? 'the port is already in use (try --port 0)'
          : (error as Error).message;
    process.stderr.write(`notifykit-sandbox: ${message}\n`);
    process.exit(error instanceof ConfigurationError ? 2 : 1);
  }
  process.stdout.write(`${banner(sandbox)}\nlistening on ${sandbox.url}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1); // a second signal: the user really wants out
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`notifykit-sandbox: graceful stop took longer than ${FORCED_EXIT_MS} ms\n`);
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`notifykit-sandbox: error while stopping after ${signal}: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
