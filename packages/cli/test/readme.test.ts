// The README's commands, run as written: every ```sh block, in order, in one bash session (set -e) in a
// scratch folder, against a real sandbox process and a real server process. The README's setup line
// (`npm ci && npm run build`) is what `npm test` already did, and `npm start` is replaced by the same two
// processes on free ports: NOTIFYKIT_SERVER_URL and INGO_BASE_URL point at them instead of the defaults
// :3000 and :4010. `npx notifykit` resolves to this checkout's launcher, as first-install.test.ts proves
// it does after `npm ci`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../sandbox/test/support/wait-for.js';
import { CLI_LAUNCHER, jsonOf, runCli } from './support/cli-process.js';
import { type CliStack, startCliStack } from './support/cli-stack.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const SETUP = 'npm ci && npm run build';

function shBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

// Each run is a Node process start; on a busy machine a test of many runs takes minutes, not seconds.
vi.setConfig({ testTimeout: 240_000 });

let stack: CliStack;
beforeAll(async () => {
  stack = await startCliStack({ speed: 1, apiToken: 'notifykit-dev-api-token' });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('packages/cli/README.md', () => {
  it('shows the setup, the local stack and a walkthrough', () => {
    expect(shBlocks(README)[0]!.trim()).toBe(SETUP);
    expect(README).toContain('```console\nnpm start\n```');
  });

  it('every command works as written, ending with a funded payout and a bulk run', async () => {
    const script = shBlocks(README)
      .map((block) => block.replace(SETUP, ': setup done by npm test'))
      .join('\n');
    const result = spawnSync(
      'bash',
      [
        '-e',
        '-c',
        `npx() { if [ "$1" = notifykit ]; then shift; node "$LAUNCHER" "$@"; else command npx "$@"; fi; }\n${script}`,
      ],
      {
        cwd: stack.dir,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH,
          HOME: stack.dir,
          XDG_CONFIG_HOME: `${stack.dir}/config`,
          LAUNCHER: CLI_LAUNCHER,
          NOTIFYKIT_SERVER_URL: stack.server.url,
          INGO_BASE_URL: stack.sandbox.url,
        },
        timeout: 120_000,
      },
    );
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain('staged $250.00 through the server');
    expect(result.stdout).toContain('staged 2 new, 0 from an earlier run, 0 invalid, 0 failed of 2 rows');
    expect(result.stdout).toContain('Sam Lee');
    expect(result.stdout).toContain('Authorization: hmac username="dev"');

    const env = { ...stack.env, NOTIFYKIT_API_TOKEN: 'notifykit-dev-api-token' };
    const funded = await waitFor(
      async () => {
        const detail = jsonOf(await runCli(['get', 'claim-1001', '--json'], env));
        return detail.status === 'funded' && detail;
      },
      { timeoutMs: 20_000, what: 'claim-1001 funded' },
    );
    expect(funded.amount).toBe('250.00');

    // The Managed Parties example: its file staged through the server, the approver shown by `get`.
    expect(result.stdout).toMatch(/approver\s+Dana Cruz/);
    const managed = await waitFor(
      async () => {
        const detail = jsonOf(await runCli(['get', 'claim-3001', '--json'], env));
        return detail.status === 'funded' && detail;
      },
      { timeoutMs: 30_000, what: 'claim-3001 funded' },
    );
    expect(managed).toMatchObject({ kind: 'managed', approvals: { required: 1, approved: 1, complete: true } });
  }, 180_000);
});
