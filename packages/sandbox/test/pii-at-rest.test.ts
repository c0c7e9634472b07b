import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IngoClient } from '@notifykit/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxControlClient, startSandbox } from '../src/index.js';
import { DEV } from './support/dev-credentials.js';
import { stageBody } from './support/stage-body.js';
import { tempDir } from './support/temp-dir.js';

// The sandbox is a test tool, but its database may hold real-looking contact data: with a PII key the
// recipients' emails, phones and addresses are encrypted at rest (AES-256-GCM, like the server), and
// the control API still shows them decrypted. Checked by searching the raw database files.

const dir = tempDir();
afterAll(() => dir.remove());

function rawDatabaseBytes(prefix: string): string {
  return readdirSync(dir.path)
    .filter((f) => f.startsWith(prefix))
    .map((f) => readFileSync(join(dir.path, f)).toString('latin1'))
    .join('\n');
}

async function stageWithPlantedContact(options: { piiKey?: string }, file: string) {
  const tag = randomBytes(5).toString('hex');
  const planted = { email: `planted.${tag}@example.com`, mobile: '5125550199', address1: `${tag} Planted Street` };
  const sandbox = await startSandbox({ port: 0, db: join(dir.path, file), speed: 0, logLevel: 'silent', ...options });
  try {
    const ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
    const staged = await ingo.notify.stage(
      stageBody({}, { email: planted.email, mobile: planted.mobile, address1: planted.address1 }),
    );
    const shown = (await new SandboxControlClient({ baseUrl: sandbox.url, ...DEV }).notification(
      staged.notificationId,
    )) as {
      recipient: { email: string };
      request: unknown;
    };
    return { planted, shown };
  } finally {
    await sandbox.close();
  }
}

describe('recipient contact data at rest', () => {
  it('with a PII key: email, mobile and address never appear in the database files; the control API decrypts', async () => {
    const { planted, shown } = await stageWithPlantedContact({ piiKey: randomBytes(32).toString('base64') }, 'enc.db');
    expect(shown.recipient.email).toBe(planted.email);
    expect(JSON.stringify(shown.request)).toContain(planted.mobile);
    const bytes = rawDatabaseBytes('enc.db');
    expect(bytes.length).toBeGreaterThan(0);
    for (const value of Object.values(planted)) expect(bytes).not.toContain(value);
  });

  it('without one (the default, a test tool) they are stored in clear, as the README says', async () => {
    const { planted } = await stageWithPlantedContact({}, 'clear.db');
    expect(rawDatabaseBytes('clear.db')).toContain(planted.email);
  });

  it('a key that is not base64 of 32 bytes is refused before anything starts', async () => {
    await expect(startSandbox({ port: 0, db: ':memory:', piiKey: 'short' })).rejects.toThrow(/PII key/);
  });
});
