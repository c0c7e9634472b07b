import { randomBytes } from 'node:crypto';
import { SandboxControlClient, type SandboxHandle, startSandbox } from '@notifykit/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS } from '../src/app/config.js';
import { json } from './support/json-body.js';
import { eventually, freePort } from './support/local-stack.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { serverProcessEnv, spawnServer } from './support/server-process.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { tempDir } from './support/test-server.js';

// A real `notifykit-server` process is killed (SIGKILL, from inside, at a named point) between writing
// the outbox and finishing the stage call; a fresh process on the same database must stage the payout
// exactly once.

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('crash');
afterAll(() => dir.remove());

const apiToken = `crash-token-${randomBytes(8).toString('hex')}`;
const webhookSecret = `whsec-${randomBytes(8).toString('hex')}`;
const encryptionKey = randomBytes(32).toString('base64');

let sandbox: SandboxHandle;
let control: SandboxControlClient;
let serverPort: number;

beforeAll(async () => {
  serverPort = await freePort();
  sandbox = await startSandbox({
    port: 0,
    db: ':memory:',
    webhookUrl: `http://127.0.0.1:${serverPort}/webhooks/ingo`,
    webhookSecret,
    speed: 0,
    retrySchedule: [50, 100, 200, 400, 800, 1600],
    logLevel: 'silent',
  });
  control = new SandboxControlClient({
    baseUrl: sandbox.url,
    username: DEVELOPMENT_DEFAULTS.ingoUsername,
    secret: DEVELOPMENT_DEFAULTS.ingoSecret,
  });
});
afterAll(async () => {
  await sandbox?.close();
});

function env(databaseUrl: string, crashPoint?: string): NodeJS.ProcessEnv {
  return serverProcessEnv({
    databaseUrl,
    ingoBaseUrl: sandbox.url,
    webhookSecret,
    apiToken,
    encryptionKey,
    ...(crashPoint ? { extra: { NOTIFYKIT_TEST_CRASH_POINT: crashPoint } } : {}),
  });
}

const auth = { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' };

async function crashThenRecover(databaseUrl: string, crashPoint: string) {
  const puid1 = `crash-${crashPoint}-${randomBytes(4).toString('hex')}`;
  const doomed = await spawnServer(['--port', String(serverPort)], env(databaseUrl, crashPoint));
  const attempt = await fetch(`${doomed.url}/api/v1/disbursements`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify(stageBody({ puid1 })),
  }).then(
    (r) => r.status,
    (error: Error) => error.name,
  );
  // The process died mid-request: the client never got an answer.
  expect(attempt).toBe('TypeError');
  expect((await doomed.exited).signal).toBe('SIGKILL');

  const atIngo = async () =>
    (
      await control.call<{ notifications: { notification_id: number }[] }>(
        'GET',
        `/_sandbox/notifications?participant_unique_id1=${puid1}`,
      )
    ).body.notifications;
  const before = await atIngo();
  expect(before).toHaveLength(crashPoint === 'after-stage-call' ? 1 : 0);

  const revived = await spawnServer(['--port', String(serverPort)], env(databaseUrl));
  try {
    const list = await eventually(
      async () => json(fetch(`${revived.url}/api/v1/disbursements?q=${puid1}`, { headers: auth })),
      (page) => page.data.length === 1 && page.data[0].status !== 'pending',
    );
    const d = list.data[0];
    // Staged, and possibly already notified (the sandbox sends the notification at once).
    expect(['staged', 'notified']).toContain(d.status);
    const after = await atIngo();
    expect(after).toHaveLength(1);
    expect(d.notification_id).toBe(String(after[0]!.notification_id));
    const detail = await json(fetch(`${revived.url}/api/v1/disbursements/${d.id}`, { headers: auth }));
    const staged = detail.timeline.filter((t: { kind: string }) => t.kind === 'staged');
    expect(staged).toHaveLength(1);
    // Crash before the call: the first call after restart creates it (100). Crash after the call: the
    // re-send is Ingo's idempotent replay (101) with the original notification_id.
    expect(staged[0].detail.ingo_status).toBe(crashPoint === 'after-stage-call' ? 101 : 100);
    expect(staged[0].detail.idempotent_replay).toBe(crashPoint === 'after-stage-call');
    const stats = await json(fetch(`${revived.url}/api/v1/stats`, { headers: auth }));
    expect(stats.outbox_depth).toBe(0);
  } finally {
    revived.child.kill('SIGTERM');
    const { code } = await revived.exited;
    expect(code).toBe(0);
  }
}

function crashSuite(name: string, database: TestDatabaseFactory) {
  describe(`crash between the outbox write and the stage call, on ${name}`, () => {
    for (const crashPoint of ['after-outbox-commit', 'after-stage-call']) {
      it(`killed ${crashPoint}: after restart the payout is staged exactly once`, async () => {
        const db = await database();
        try {
          await crashThenRecover(db.url, crashPoint);
        } finally {
          await db.cleanup();
        }
      });
    }
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'crash.db' }, 'crash', crashSuite);
