import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { runServer, spawnServer } from './support/server-process.js';
import { stageBody } from './support/stage-body.js';
import { tempDir } from './support/test-server.js';

const dir = tempDir('bin');
afterAll(() => dir.remove());

describe('notifykit-server binary', () => {
  it('--port 0: exactly one stdout line "listening on http://127.0.0.1:<port>", serves, stops cleanly on SIGTERM', async () => {
    const server = await spawnServer(['--port', '0', '--dev', '--database-url', `sqlite:${join(dir.path, 'a.db')}`], {
      PORT: '1',
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(server.url).port)).not.toBe(1); // the flag overrides PORT
    expect(await json(fetch(`${server.url}/healthz`))).toEqual({ status: 'ok' });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.stdout.join('')).toBe(`listening on ${server.url}\n`);
    // Logs are JSON lines on stderr.
    const lines = server.stderr.join('').trim().split('\n');
    expect(lines.every((l) => JSON.parse(l).service === 'notifykit-server')).toBe(true);
  });

  it('finishes an in-flight request before exiting on SIGTERM', async () => {
    const server = await spawnServer(['--port', '0', '--dev', '--database-url', `sqlite:${join(dir.path, 'b.db')}`], {
      INGO_BASE_URL: 'http://127.0.0.1:9',
    });
    const pending = fetch(`${server.url}/api/v1/disbursements`, {
      method: 'POST',
      headers: { authorization: 'Bearer notifykit-dev-api-token', 'content-type': 'application/json' },
      body: JSON.stringify(stageBody()),
    });
    await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    const response = await pending;
    expect([202, 503]).toContain(response.status);
    expect((await server.exited).code).toBe(0);
  });

  it('refuses development secrets against a non-sandbox Ingo URL (exit 2, no secret printed)', async () => {
    const result = await runServer(['--dev', '--ingo-base-url', 'https://payapi.ingo.money'], {});
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /refusing development secrets \(INGO_SECRET, INGO_WEBHOOK_SECRET, NOTIFYKIT_API_TOKEN, NOTIFYKIT_ENCRYPTION_KEY\)/,
    );
    expect(result.stderr).not.toContain('dev-secret-not-for-production');
    expect(result.stderr.split('\n').filter((l) => l.trim() !== '')).toHaveLength(1);
  });

  it('names missing configuration outside development mode', async () => {
    const result = await runServer([], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing configuration: INGO_USERNAME, INGO_SECRET/);
  });

  it('rejects a bad --port', async () => {
    const result = await runServer(['--port', 'eighty', '--dev'], {});
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--port/);
  });

  it('migrate applies the schema once; reencrypt moves stored values to the first key', async () => {
    const databaseUrl = `sqlite:${join(dir.path, 'rotate.db')}`;
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const base = { NOTIFYKIT_ENV: 'development', DATABASE_URL: databaseUrl, INGO_BASE_URL: 'http://127.0.0.1:9' };
    expect((await runServer(['migrate'], base)).stdout).toBe('applied 0001_initial, 0003_quarantine\n');
    expect((await runServer(['migrate'], base)).stdout).toBe('schema is up to date\n');

    const first = await spawnServer(['--port', '0'], { ...base, NOTIFYKIT_ENCRYPTION_KEY: oldKey });
    const headers = { authorization: 'Bearer notifykit-dev-api-token', 'content-type': 'application/json' };
    const created = await json(
      fetch(`${first.url}/api/v1/disbursements`, { method: 'POST', headers, body: JSON.stringify(stageBody()) }),
    );
    first.child.kill('SIGTERM');
    await first.exited;

    const rotated = await runServer(['reencrypt'], { ...base, NOTIFYKIT_ENCRYPTION_KEY: `${newKey},${oldKey}` });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/^re-encrypted 1 disbursement\(s\) under key [0-9a-f]{8}\n$/);

    // The old key can now be dropped.
    const second = await spawnServer(['--port', '0'], { ...base, NOTIFYKIT_ENCRYPTION_KEY: newKey });
    try {
      const detail = await json(fetch(`${second.url}/api/v1/disbursements/${created.id}`, { headers }));
      expect(detail.recipient.email).toMatch(/@example\.com$/);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
