import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FieldCipher } from '../src/db/field-encryption.js';
import { json } from './support/json-body.js';
import { eventually } from './support/local-stack.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { runServer } from './support/server-process.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { startTestServer, tempDir } from './support/test-server.js';

// What an operator meets at start: a NOTIFYKIT_ENCRYPTION_KEY that cannot read the stored data is
// refused with one line (exit 2) instead of a server whose every detail call is a 500, and PostgreSQL
// failures say what is wrong and what to do.

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('startup');
afterAll(() => dir.remove());

const newKey = () => randomBytes(32).toString('base64');

describe('NOTIFYKIT_ENCRYPTION_KEY against the stored data', () => {
  it('a key that cannot decrypt what is stored: exit 2, one line, no key printed; with the old key listed it starts', async () => {
    const databaseUrl = `sqlite:${join(dir.path, 'keys.db')}`;
    const original = newKey();
    const first = await startTestServer({
      databaseUrl,
      encryptionKey: original,
      serverOptions: { fetch: unreachableIngo, outboxWorker: false },
    });
    expect((await first.api('/api/v1/disbursements', { method: 'POST', json: stageBody() })).status).toBe(202);
    await first.close();

    const wrong = newKey();
    const env = { NOTIFYKIT_ENV: 'development', DATABASE_URL: databaseUrl, INGO_BASE_URL: 'http://127.0.0.1:9' };
    const refused = await runServer(['--port', '0'], { ...env, NOTIFYKIT_ENCRYPTION_KEY: wrong });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    const lines = refused.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^notifykit-server: NOTIFYKIT_ENCRYPTION_KEY cannot decrypt the stored data/);
    expect(lines[0]).toContain(new FieldCipher([Buffer.from(original, 'base64')]).currentKeyId);
    expect(refused.stderr).not.toContain(wrong);
    expect(refused.stderr).not.toContain(original);

    // Rotation: the new key first, the old one still listed → it starts and reads the old rows.
    const rotated = await startTestServer({
      databaseUrl,
      encryptionKey: `${wrong},${original}`,
      serverOptions: { fetch: unreachableIngo, outboxWorker: false },
    });
    try {
      const list = await json(rotated.api('/api/v1/disbursements'));
      expect((await rotated.api(`/api/v1/disbursements/${list.data[0].id}`)).status).toBe(200);
      expect((await fetch(`${rotated.url}/readyz`)).status).toBe(200);
    } finally {
      await rotated.close();
    }
  });

  it('/readyz fails while stored data is under a key this instance does not have (written by another instance)', async () => {
    const databaseUrl = `sqlite:${join(dir.path, 'ready.db')}`;
    const server = await startTestServer({
      databaseUrl,
      serverOptions: { fetch: unreachableIngo, outboxWorker: false },
    });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const other = new FieldCipher([randomBytes(32)]);
      await server.server.database.db
        .insertInto('disbursement_requests')
        .values({ disbursement_id: 'dsb_other', request_enc: other.encrypt('{}', 'x') })
        .execute();
      const answer = await eventually(
        () => fetch(`${server.url}/readyz`),
        (r) => r.status === 503,
      );
      expect(await json(answer)).toEqual({
        status: 'not_ready',
        reason: `stored data under encryption key ${other.currentKeyId}, which NOTIFYKIT_ENCRYPTION_KEY does not hold`,
      });
    } finally {
      await server.close();
    }
  });
});

describe('PostgreSQL start-up failures in plain words', () => {
  const env = { NOTIFYKIT_ENV: 'development', INGO_BASE_URL: 'http://127.0.0.1:9' };

  it('nothing listening: "cannot reach PostgreSQL at host:port (connection refused): is it running?", exit 2', async () => {
    const result = await runServer(['--port', '0'], {
      ...env,
      DATABASE_URL: 'postgres://postgres:pw-not-printed@127.0.0.1:5999/notifykit',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'notifykit-server: cannot reach PostgreSQL at 127.0.0.1:5999 (connection refused): is it running?',
    );
  });

  it.skipIf(!postgres.available)(
    'a database that does not exist: names it and says how to create it, exit 2',
    async () => {
      const name = `notifykit_missing_${randomBytes(4).toString('hex')}`;
      const result = await runServer(['--port', '0'], {
        ...env,
        DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${name}`,
      });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe(
        `notifykit-server: database "${name}" does not exist: create it with \`createdb -h 127.0.0.1 -p 5432 -U postgres ${name}\` (or CREATE DATABASE "${name}")`,
      );
    },
  );
});
