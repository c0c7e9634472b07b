import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { eventually } from './support/local-stack.js';
import { tempDir } from './support/test-server.js';

const START = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url));
const dir = tempDir('start');
afterAll(() => dir.remove());

/**
 * Runs `npm start`'s script on free ports until its banner is printed, hands the banner and the API URL
 * to `body`, then stops it with Ctrl-C (SIGINT) and returns everything it printed and its exit code.
 */
async function withLocalStack(
  env: Record<string, string>,
  body: (banner: string, url: string) => Promise<void>,
): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, [START], {
    env: { PATH: process.env.PATH, PORT: '0', SANDBOX_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(
      async () => out,
      (o) => o.includes('Ctrl-C stops both.'),
    );
    const url = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(out)?.[1];
    expect(url).toBeDefined();
    await body(out, url!);
  } finally {
    child.kill('SIGINT');
  }
  const code = await exited;
  return { out, code };
}

describe('npm start (scripts/start.mjs)', () => {
  it('runs sandbox + server wired together, prints token and curl example, stages a payout end to end, stops on Ctrl-C', async () => {
    const { out, code } = await withLocalStack(
      { SANDBOX_SPEED: '50', NOTIFYKIT_DATA_DIR: dir.path },
      async (banner, url) => {
        const token = /API token\s+(\S+)/.exec(banner)?.[1];
        expect(token).toBe('notifykit-dev-api-token');
        const curlBody = /-d '(\{.*\})'/.exec(banner)?.[1];
        expect(curlBody).toBeDefined();
        // Exactly what the banner tells a developer to run.
        const staged = await json(
          fetch(`${url}/api/v1/disbursements`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: curlBody!,
          }),
        );
        expect(staged.status).toBe('staged');
        const funded = await eventually(
          () =>
            json(fetch(`${url}/api/v1/disbursements/${staged.id}`, { headers: { authorization: `Bearer ${token}` } })),
          (d) => d.status === 'funded',
        );
        expect(funded.status).toBe('funded');
        expect((await fetch(`${url}/`)).status).toBe(200);
        // The dashboard, built by `npm run build`, and the banner saying how to sign in to it.
        expect(await (await fetch(`${url}/`)).text()).toContain('<div id="app">');
        expect(banner).toMatch(
          /dashboard\s+http:\/\/127\.0\.0\.1:\d+\/\s+open it and sign in with the token on the next line/,
        );
        expect(existsSync(join(dir.path, 'notifykit.db'))).toBe(true);
        expect(existsSync(join(dir.path, 'sandbox.db'))).toBe(true);
      },
    );
    expect(code).toBe(0);
    expect(out).toContain('stopped');
  });

  it('keeps an API token set through NOTIFYKIT_API_TOKEN out of the banner', async () => {
    const planted = 'planted-operator-token-7f3a9c';
    const { out, code } = await withLocalStack(
      { NOTIFYKIT_DATA_DIR: join(dir.path, 'own-token'), NOTIFYKIT_API_TOKEN: planted },
      async (banner, url) => {
        const listed = await fetch(`${url}/api/v1/disbursements`, { headers: { authorization: `Bearer ${planted}` } });
        expect(listed.status).toBe(200);
        expect(banner).toContain('$NOTIFYKIT_API_TOKEN');
      },
    );
    expect(code).toBe(0);
    expect(out).not.toContain(planted);
  });
});
