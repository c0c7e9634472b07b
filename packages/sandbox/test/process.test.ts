// The notifykit-sandbox binary as a real process: banner and listening line, flag errors, one process
// per database, graceful SIGTERM, and a kill -9 in the middle of scenarios after which nothing is lost.

import { spawn } from 'node:child_process';
import { IngoClient } from '@notifykit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient } from '../src/index.js';
import { DEV } from './support/dev-credentials.js';
import { startReceiver } from './support/receiver.js';
import { BIN, type SandboxProcess, spawnSandbox } from './support/sandbox-process.js';
import { stageBody } from './support/stage-body.js';
import { tempDir } from './support/temp-dir.js';
import { waitFor } from './support/wait-for.js';

let dir: ReturnType<typeof tempDir>;
const children: SandboxProcess[] = [];

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  dir.remove();
});

async function start(args: string[]) {
  const p = await spawnSandbox(['--port', '0', ...args]);
  children.push(p);
  return p;
}

async function runToExit(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, out, err };
}

describe('command line', () => {
  it('prints the development credentials, then exactly one listening line; logs go to stderr as JSON', async () => {
    const p = await start(['--db', `${dir.path}/banner.db`]);
    const lines = p.stdout().trim().split('\n');
    expect(lines.filter((l) => l.startsWith('listening on '))).toEqual([`listening on ${p.url}`]);
    expect(lines.at(-1)).toBe(`listening on ${p.url}`);
    expect(p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(p.stdout()).toContain('username=dev secret=dev-secret-not-for-production participant_id=12345');
    await waitFor(() => p.stderr().includes('sandbox started'), { what: 'the start log' });
    for (const line of p.stderr().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('never prints the secrets of --credentials, --webhook-secret or the webhook URL', async () => {
    const p = await start([
      '--db',
      ':memory:',
      '--credentials',
      'alice:s3cr3t-alice:4242:otac:limit=100.00',
      '--webhook-secret',
      'whsec-s3cr3t',
      '--webhook-url',
      'https://hooks:pw-s3cr3t@receiver.example/ingo?token=tok-s3cr3t',
    ]);
    expect(p.stdout()).toContain('username=alice participant_id=4242 (OTAC on, daily limit 100.00)');
    expect(p.stdout()).toContain('https://hooks:REDACTED@receiver.example/ingo?token=REDACTED');
    await waitFor(() => p.stderr().includes('sandbox started'), { what: 'the start log' });
    for (const secret of ['s3cr3t-alice', 'whsec-s3cr3t', 'pw-s3cr3t', 'tok-s3cr3t']) {
      expect(p.stdout() + p.stderr()).not.toContain(secret);
    }
    p.child.kill('SIGTERM');
    await p.exited;
  });

  it('refuses bad flags with a message and a non-zero exit, without echoing secrets', async () => {
    const bad = await runToExit(['--port', '0', '--db', ':memory:', '--credentials', 'bob:hunter2-secret']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--credentials entry 1');
    expect(bad.err).not.toContain('hunter2-secret');
    const schedule = await runToExit(['--port', '0', '--db', ':memory:', '--retry-schedule', '5 parsecs']);
    expect(schedule.code).toBe(2);
    expect(schedule.err).toContain('retry schedule');
    const topics = await runToExit(['--port', '0', '--topics', 'klingon']);
    expect(topics.code).not.toBe(0);
    expect(topics.err).toContain('klingon');
  });

  it.each([
    [['--speed', 'fast'], '--speed'],
    [['--ttl', 'abc'], '--ttl'],
    [['--port', '99999'], '--port'],
    [['--bogus'], '--bogus'],
    [['--topics', 'klingon'], '--topics'],
    [['--port'], '--port'],
    [['stray-argument'], 'stray-argument'],
  ])('%j: exit 2 with one stderr line naming the flag, nothing on stdout', async (args, named) => {
    const result = await runToExit(['--db', ':memory:', ...args]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    const lines = result.err.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^notifykit-sandbox: /);
    expect(lines[0]).toContain(named);
  });

  it('a port in use: exit 1 with one line; --help: exit 0', async () => {
    const first = await start(['--db', ':memory:']);
    const port = new URL(first.url).port;
    const taken = await runToExit(['--db', ':memory:', '--port', port]);
    expect(taken.code).toBe(1);
    expect(taken.err.trim().split('\n')).toEqual([expect.stringMatching(/^notifykit-sandbox: .*port.*in use/)]);
    first.child.kill('SIGTERM');
    await first.exited;
    const help = await runToExit(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('--request-timeout');
  });

  it('allows one sandbox per database file', async () => {
    const db = `${dir.path}/single.db`;
    const first = await start(['--db', db]);
    const second = await runToExit(['--port', '0', '--db', db]);
    expect(second.code).toBe(2);
    expect(second.err).toContain('in use by another sandbox process');
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });
});

describe('durability', () => {
  it('stops gracefully on SIGTERM and keeps every staged disbursement', async () => {
    const db = `${dir.path}/graceful.db`;
    const first = await start(['--db', db, '--speed', '0']);
    const request = stageBody();
    const staged = await new IngoClient({ ...DEV, baseUrl: first.url, maxRetries: 0 }).notify.stage(request);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toContain('sandbox stopped');

    const second = await start(['--db', db, '--speed', '0']);
    const replay = await new IngoClient({ ...DEV, baseUrl: second.url, maxRetries: 0 }).notify.stage(request);
    expect(replay.status).toBe(101);
    expect(replay.notificationId).toBe(staged.notificationId);
    second.child.kill('SIGINT');
    expect((await second.exited).code).toBe(0);
  });

  it('survives kill -9 mid-scenario: every event is delivered, none is lost or re-emitted', async () => {
    const receiver = await startReceiver();
    // The first attempt of every third event fails before the crash, so the outbox holds pending
    // retries when the process dies (and no event can be exhausted by bad luck).
    const seen = new Set<string>();
    receiver.behave(({ body }) => {
      const id = (JSON.parse(body) as { metadata: { id: string } }).metadata.id;
      const first = !seen.has(id);
      seen.add(id);
      return first && seen.size % 3 === 0 ? 500 : 200;
    });
    const db = `${dir.path}/crash.db`;
    const args = ['--db', db, '--speed', '5', '--webhook-url', receiver.url, '--retry-schedule', '50ms,100ms,200ms'];
    const first = await start(args);
    const ingo = new IngoClient({ ...DEV, baseUrl: first.url, maxRetries: 0 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await ingo.notify.stage(stageBody())).notificationId);
    await waitFor(() => receiver.received.length >= 10, { what: 'the scenarios to be under way' });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const beforeCrash = new Set(receiver.received.map((r) => r.event.id));
    // The crash really came mid-scenario: some steps had not happened (or not been delivered) yet.
    expect(beforeCrash.size).toBeLessThan(ids.length * 5);

    const second = await start(args);
    const expected = [
      'transaction.recipient.notification.status.sent',
      'transaction.recipient.notification.status.received',
      'transaction.recipient.authentication.status.success',
      'transaction.account.tokenization.success',
      'transaction.recipient.payment.status.success',
    ];
    for (const id of ids) {
      const topics = await waitFor(() => receiver.topicsOf(id).length >= expected.length && receiver.topicsOf(id), {
        what: `all events of ${id}`,
      });
      expect([...topics].sort()).toEqual([...expected].sort());
    }
    // Exactly one event per step: the restart continued the scenarios, it did not replay them.
    const distinct = new Set(receiver.received.map((r) => r.event.id));
    expect(distinct.size).toBe(ids.length * expected.length);
    for (const id of beforeCrash) expect(distinct.has(id)).toBe(true);

    const control = new SandboxControlClient({ baseUrl: second.url, ...DEV });
    const listed = await control.call<{ notifications: { notification_id: number; state: string }[] }>(
      'GET',
      '/_sandbox/notifications',
    );
    // Every acknowledged stage survived, once: no disbursement lost or staged twice.
    expect(listed.body.notifications.map((n) => String(n.notification_id)).sort()).toEqual([...ids].sort());
    expect(listed.body.notifications.map((n) => n.state)).toEqual(Array(5).fill('funded'));
    // The stored events are exactly the delivered ones, one per step: nothing re-emitted that was not delivered yet.
    for (const id of ids) {
      const events = (await control.notification(id)).events as { id: string; topic: string }[];
      expect(events.map((e) => e.topic).sort()).toEqual([...expected].sort());
      for (const event of events) expect(distinct.has(event.id)).toBe(true);
    }
    // The last attempts are recorded just after the receiver answered them.
    await waitFor(async () => (await control.deliveries({ status: 'pending' })).deliveries.length === 0, {
      what: 'no pending delivery',
    });
    second.child.kill('SIGTERM');
    await second.exited;
    await receiver.close();
  });
});
