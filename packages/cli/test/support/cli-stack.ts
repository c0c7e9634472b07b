// A real sandbox process and a real server process wired together, as a user runs them, plus the
// environment a `notifykit` run needs to reach both. Secrets are random per stack so a test can check
// that none is ever printed.
import { randomBytes } from 'node:crypto';
import { SandboxControlClient } from '@notifykit/sandbox';
import { type SandboxProcess, spawnSandbox } from '../../../sandbox/test/support/sandbox-process.js';
import { DEVELOPMENT_DEFAULTS } from '../../../server/src/app/config.js';
import { type ServerProcess, spawnServer } from '../../../server/test/support/server-process.js';
import { tempDir } from '../../../server/test/support/test-server.js';

export interface CliStack {
  sandbox: SandboxProcess;
  server: ServerProcess;
  control: SandboxControlClient;
  /** The environment of a CLI run against this stack (profile folder included). */
  env: NodeJS.ProcessEnv;
  secrets: { apiToken: string; webhookSecret: string };
  dir: string;
  close(): Promise<void>;
}

async function stop(child: { kill(signal: NodeJS.Signals): boolean }, exited: Promise<unknown>) {
  child.kill('SIGTERM');
  await exited;
}

export async function startCliStack({
  speed = 50,
  apiToken = `nk-test-token-${randomBytes(12).toString('hex')}`,
} = {}): Promise<CliStack> {
  const dir = tempDir('cli');
  const webhookSecret = `whsec-${randomBytes(12).toString('hex')}`;
  const sandbox = await spawnSandbox([
    '--port',
    '0',
    '--db',
    ':memory:',
    '--speed',
    String(speed),
    '--webhook-secret',
    webhookSecret,
    '--retry-schedule',
    '50ms,100ms,200ms,400ms',
    '--log-level',
    'silent',
  ]);
  let server: ServerProcess;
  try {
    server = await spawnServer(['--port', '0', '--log-level', 'warn'], {
      NOTIFYKIT_ENV: 'development',
      DATABASE_URL: `sqlite:${dir.path}/notifykit.db`,
      INGO_BASE_URL: sandbox.url,
      INGO_WEBHOOK_SECRET: webhookSecret,
      NOTIFYKIT_API_TOKEN: apiToken,
    });
  } catch (error) {
    await stop(sandbox.child, sandbox.exited);
    throw error;
  }
  const control = new SandboxControlClient({
    baseUrl: sandbox.url,
    username: DEVELOPMENT_DEFAULTS.ingoUsername,
    secret: DEVELOPMENT_DEFAULTS.ingoSecret,
  });
  await control.setWebhookUrl(`${server.url}/webhooks/ingo`);
  return {
    sandbox,
    server,
    control,
    dir: dir.path,
    secrets: { apiToken, webhookSecret },
    env: {
      XDG_CONFIG_HOME: `${dir.path}/config`,
      NOTIFYKIT_SERVER_URL: server.url,
      NOTIFYKIT_API_TOKEN: apiToken,
      INGO_BASE_URL: sandbox.url,
    },
    async close() {
      await stop(server.child, server.exited);
      await stop(sandbox.child, sandbox.exited);
      dir.remove();
    },
  };
}
