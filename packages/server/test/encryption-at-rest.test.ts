import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { createTemporaryDatabase, requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { startTestServer, tempDir } from './support/test-server.js';

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('at-rest');
afterAll(() => dir.remove());

function planted() {
  const tag = randomBytes(5).toString('hex');
  return {
    answer: `ANSWER${tag}`,
    note: `NOTE${tag}`,
    email: `planted.${tag}@example.com`,
    mobile: `512${String(Number.parseInt(tag.slice(0, 6), 16) % 10_000_000).padStart(7, '0')}`,
    phone: `737${String(Number.parseInt(tag.slice(4, 10), 16) % 10_000_000).padStart(7, '0')}`,
    address1: `${tag} Planted Street`,
    address2: `Suite ${tag}`,
    name: `Visible${tag}`,
  };
}

function body(p: ReturnType<typeof planted>) {
  const base = stageBody({ email: p.email, secretAnswer: p.answer, firstName: p.name });
  return {
    ...base,
    recipient: { ...base.recipient, mobile: p.mobile, phone: p.phone, address1: p.address1, address2: p.address2 },
    notification_records: [{ field_label: 'Invoice', client_provided_value: p.note }],
  };
}

async function stageAll(databaseUrl: string) {
  const values = [planted(), planted()];
  const server = await startTestServer({ databaseUrl, serverOptions: { fetch: unreachableIngo, outboxWorker: false } });
  try {
    for (const p of values) {
      const response = await server.api('/api/v1/disbursements', { method: 'POST', json: body(p) });
      expect(response.status).toBe(202);
      // Readable through the API (decrypted), so the values really were stored.
      const detail = await json(server.api(`/api/v1/disbursements/${(await json(response)).id}`));
      expect(detail.recipient).toMatchObject({ email: p.email, mobile: p.mobile, address1: p.address1 });
    }
  } finally {
    await server.close();
  }
  return values;
}

function expectAbsent(dump: string, values: ReturnType<typeof planted>[]) {
  for (const p of values) {
    // The display name is stored in clear on purpose (search); finding it proves the dump is readable.
    expect(dump).toContain(p.name);
    for (const [field, value] of Object.entries(p)) {
      if (field === 'name') continue;
      expect(dump.includes(value), `${field} found in clear in the dump`).toBe(false);
    }
  }
}

describe('sensitive fields are encrypted at rest', () => {
  it('SQLite: neither the database file, its WAL, nor a .dump holds client_provided_values or contact data', async () => {
    const file = join(dir.path, 'at-rest.db');
    const values = await stageAll(`sqlite:${file}`);
    const raw = [file, `${file}-wal`]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('');
    const dump = execFileSync('sqlite3', [file, '.dump'], { encoding: 'utf8' });
    expectAbsent(raw, values);
    expectAbsent(dump, values);
  });
});

describe.skipIf(!postgres.available)('sensitive fields are encrypted at rest on PostgreSQL', () => {
  it('a pg_dump holds none of them', async () => {
    const temp = await createTemporaryDatabase('atrest');
    try {
      const values = await stageAll(temp.url);
      const dump = execFileSync('pg_dump', ['--data-only', temp.url], { encoding: 'utf8' });
      expectAbsent(dump, values);
    } finally {
      await temp.drop();
    }
  });
});
