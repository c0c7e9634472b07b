import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { openDatabase } from '../db/connection.js';
import { FieldCipher } from '../db/field-encryption.js';
import { reencryptAll } from '../db/key-rotation.js';
import { migrateToLatest } from '../db/migrations.js';
import { ensureDatabaseReachable } from '../db/startup-checks.js';
import { type ConfigOverrides, loadConfig } from './config.js';
import { startServer } from './server.js';

// stdout carries exactly one line, `listening on http://127.0.0.1:<port>`, for scripts and tests to
// wait on; JSON logs go to stderr.

interface Flags {
  port?: number;
  host?: string;
  databaseUrl?: string;
  ingoBaseUrl?: string;
  ingoUsername?: string;
  ingoSecret?: string;
  ingoParticipantId?: string;
  webhookSecret?: string;
  webhookSignature?: string;
  apiToken?: string;
  encryptionKey?: string;
  logLevel?: string;
  dev?: boolean;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('must be an integer 0–65535 (0 = any free port)');
  return n;
}

function overridesFrom(flags: Flags): ConfigOverrides {
  return {
    port: flags.port,
    host: flags.host,
    databaseUrl: flags.databaseUrl,
    ingoBaseUrl: flags.ingoBaseUrl,
    ingoUsername: flags.ingoUsername,
    ingoSecret: flags.ingoSecret,
    ingoParticipantId: flags.ingoParticipantId,
    webhookSecret: flags.webhookSecret,
    webhookSignature: flags.webhookSignature,
    apiToken: flags.apiToken,
    encryptionKey: flags.encryptionKey,
    logLevel: flags.logLevel,
    development: flags.dev ? true : undefined,
  };
}

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`notifykit-server: ${message}\n`);
  process.exit(2);
}

function withCommonOptions(command: Command): Command {
  return command
    .option('--database-url <url>', 'sqlite:<path>, sqlite::memory: or postgres://… (env DATABASE_URL)')
    .option('--ingo-base-url <url>', 'Ingo gateway or the local sandbox (env INGO_BASE_URL)')
    .option('--ingo-username <name>', 'env INGO_USERNAME')
    .option('--ingo-secret <secret>', 'env INGO_SECRET (prefer the environment: flags show in ps)')
    .option('--ingo-participant-id <id>', 'env INGO_PARTICIPANT_ID')
    .option('--webhook-secret <secrets>', 'comma-separated; env INGO_WEBHOOK_SECRET')
    .option('--webhook-signature <scheme>', 'sha512-base64 (default), sha512-hex, sha256-base64, sha256-hex')
    .option('--api-token <token>', 'bearer token for /api (env NOTIFYKIT_API_TOKEN)')
    .option(
      '--encryption-key <keys>',
      'base64 32-byte keys, comma-separated, first encrypts (env NOTIFYKIT_ENCRYPTION_KEY)',
    )
    .option('--log-level <level>', 'trace, debug, info, warn, error (env LOG_LEVEL)')
    .option(
      '--dev',
      'development mode: missing credentials take the development defaults (env NOTIFYKIT_ENV=development)',
    );
}

/** The `notifykit-server` commands: serve (the default), `migrate`, `reencrypt`. */
function buildProgram(): Command {
  const program = new Command()
    .name('notifykit-server')
    .description(
      'The notifykit disbursement server: durable staging, exactly-once webhook ingestion, lifecycle tracking.',
    )
    .option('--port <port>', 'port to listen on, 0 = any free port (env PORT, default 3000)', portNumber)
    .option('--host <host>', 'interface to bind (env HOST, default 127.0.0.1)');
  withCommonOptions(program).action(async (flags: Flags) => {
    let config: ReturnType<typeof loadConfig>;
    try {
      config = loadConfig(process.env, overridesFrom(flags));
    } catch (error) {
      fail(error);
    }
    let running: Awaited<ReturnType<typeof startServer>>;
    try {
      running = await startServer(config, { logDestination: pino.destination({ dest: 2, sync: true }) });
    } catch (error) {
      fail(error);
    }
    process.stdout.write(`listening on ${running.url}\n`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write(`notifykit-server: ${signal} again, exiting now\n`);
        process.exit(1);
      }
      stopping = true;
      running.server.logger.info({ signal }, 'shutting down');
      running
        .close()
        .then(() => process.exit(0))
        .catch((error) => {
          process.stderr.write(
            `notifykit-server: shutdown failed: ${error instanceof Error ? error.message : error}\n`,
          );
          process.exit(1);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });

  withCommonOptions(program.command('migrate').description('apply pending database migrations and exit')).action(
    async (_options: Flags, command: Command) => {
      const flags = command.optsWithGlobals() as Flags;
      try {
        const config = loadConfig(process.env, overridesFrom(flags));
        const database = openDatabase(config.databaseUrl);
        try {
          await ensureDatabaseReachable(database, config.databaseUrl);
          const applied = await migrateToLatest(database.db, database.dialect);
          process.stdout.write(applied.length === 0 ? 'schema is up to date\n' : `applied ${applied.join(', ')}\n`);
        } finally {
          await database.close();
        }
      } catch (error) {
        fail(error);
      }
    },
  );

  withCommonOptions(
    program
      .command('reencrypt')
      .description('re-encrypt stored sensitive fields under the first NOTIFYKIT_ENCRYPTION_KEY'),
  ).action(async (_options: Flags, command: Command) => {
    const flags = command.optsWithGlobals() as Flags;
    try {
      const config = loadConfig(process.env, overridesFrom(flags));
      const database = openDatabase(config.databaseUrl);
      try {
        await ensureDatabaseReachable(database, config.databaseUrl);
        await migrateToLatest(database.db, database.dialect);
        const count = await reencryptAll(database, new FieldCipher(config.encryptionKeys));
        process.stdout.write(
          `re-encrypted ${count} disbursement(s) under key ${new FieldCipher(config.encryptionKeys).currentKeyId}\n`,
        );
      } finally {
        await database.close();
      }
    } catch (error) {
      fail(error);
    }
  });

  return program;
}

export async function runCommandLine(argv: readonly string[]): Promise<void> {
  await buildProgram().parseAsync([...argv]);
}
