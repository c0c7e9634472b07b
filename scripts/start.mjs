#!/usr/bin/env node
// `npm start`: the local stack. Builds are done by `npm run build` first (see package.json); this runs
// the sandbox (a local Ingo) and the notifykit server wired together in one process, with development
// credentials, SQLite files under .notifykit/, JSON logs in .notifykit/logs/, and prints what you need to
// try it. Ctrl-C (or SIGTERM) stops both cleanly.
//
// Environment: PORT (server, 3000), SANDBOX_PORT (4010), SANDBOX_SPEED (1), NOTIFYKIT_DATA_DIR
// (.notifykit), NOTIFYKIT_READONLY_TOKEN (optional, a dashboard/API token that can only read), DATABASE_URL (default
// sqlite:.notifykit/notifykit.db; a postgres:// URL works too), NOTIFYKIT_API_TOKEN (default the
// development token). Development secrets are refused against anything but the sandbox.
import { mkdirSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DEVELOPMENT_CREDENTIALS, DEVELOPMENT_WEBHOOK_SECRET, startSandbox } from '@notifykit/sandbox';
import { DEVELOPMENT_DEFAULTS, loadConfig, startServer } from '@notifykit/server';
import pino from 'pino';

const root = resolve(new URL('..', import.meta.url).pathname);
const dataDir = resolve(process.env.NOTIFYKIT_DATA_DIR ?? join(root, '.notifykit'));
const logDir = join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });

function freePort() {
  return new Promise((done, fail) => {
    const probe = createNetServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });
}

function portFrom(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name} must be a port number (0 = any free port)`);
    process.exit(2);
  }
  return n;
}

const credential = DEVELOPMENT_CREDENTIALS[0];
const serverPort = portFrom('PORT', 3000) || (await freePort());
const sandboxPort = portFrom('SANDBOX_PORT', 4010);
const speed = process.env.SANDBOX_SPEED === undefined ? 1 : Number(process.env.SANDBOX_SPEED);
const webhookUrl = `http://127.0.0.1:${serverPort}/webhooks/ingo`;

const logFile = (name) => pino.destination({ dest: join(logDir, name), mkdir: true, sync: true });

let sandbox;
let server;
try {
  sandbox = await startSandbox({
    port: sandboxPort,
    db: join(dataDir, 'sandbox.db'),
    webhookUrl,
    webhookSecret: DEVELOPMENT_WEBHOOK_SECRET,
    speed,
    // The sandbox's own logger redacts sensitive fields; give it only a destination.
    logLevel: process.env.LOG_LEVEL ?? 'info',
    logDestination: logFile('sandbox.log'),
  });
  const config = loadConfig(
    { ...process.env, NOTIFYKIT_ENV: 'development' },
    {
      port: serverPort,
      databaseUrl: process.env.DATABASE_URL ?? `sqlite:${join(dataDir, 'notifykit.db')}`,
      ingoBaseUrl: sandbox.url,
      ingoUsername: credential.username,
      ingoSecret: credential.secret,
      ingoParticipantId: credential.participantId,
      webhookSecret: DEVELOPMENT_WEBHOOK_SECRET,
    },
  );
  server = await startServer(config, {
    logDestination: logFile('server.log'),
  });

  // The development token is printed to be copied; a token of the developer's own stays out of the
  // terminal and its scrollback, and the curl lines read it from the environment instead.
  const ownToken = config.apiToken !== DEVELOPMENT_DEFAULTS.apiToken;
  const tokenShown = ownToken ? '$NOTIFYKIT_API_TOKEN' : config.apiToken;
  const body = JSON.stringify({
    amount: '250.00',
    recipient: { first_name: 'Alex', last_name: 'Rivera', email: 'alex@example.com', mobile: '5125550100' },
    authentication_records: [
      {
        field_label: 'Last 4 SSN',
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        value_format: 'XXXX',
        client_provided_value: '6789',
      },
    ],
  });
  console.log(`notifykit local stack

  dashboard        ${server.url}/   open it and sign in with the token on the next line${config.readonlyToken ? ' (or the read-only $NOTIFYKIT_READONLY_TOKEN)' : ''}
  API token        ${ownToken ? '(from $NOTIFYKIT_API_TOKEN)' : config.apiToken}
  API              ${server.url}/api/v1   (OpenAPI: ${server.url}/api/v1/openapi.json)
  sandbox (Ingo)   ${sandbox.url}   username ${credential.username}, secret ${credential.secret}, participant ${credential.participantId}
  webhooks         ${webhookUrl}   secret ${DEVELOPMENT_WEBHOOK_SECRET}
  data             ${config.databaseUrl.startsWith('sqlite:') ? config.databaseUrl.slice('sqlite:'.length) : '(DATABASE_URL)'}, ${join(dataDir, 'sandbox.db')}
  logs             ${join(logDir, 'server.log')}, ${join(logDir, 'sandbox.log')}

These are development credentials: fine against the local sandbox, refused against a real Ingo URL.

Stage a payout (the sandbox plays the recipient; add +bounce, +check, +paypal… to the email's local part for other scenarios):

  curl -s ${server.url}/api/v1/disbursements \\
    -H "Authorization: Bearer ${tokenShown}" -H 'Content-Type: application/json' \\
    -d '${body}'

then follow it with:  curl -s -H "Authorization: Bearer ${tokenShown}" ${server.url}/api/v1/disbursements

Ctrl-C stops both.`);
} catch (error) {
  console.error(`notifykit: could not start the local stack: ${error instanceof Error ? error.message : error}`);
  await server?.close().catch(() => {});
  await sandbox?.close().catch(() => {});
  process.exit(1);
}

let stopping = false;
async function stop(signal) {
  if (stopping) process.exit(1);
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  // Server first, so nothing new is staged while the sandbox goes away.
  await server.close();
  await sandbox.close();
  console.log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
