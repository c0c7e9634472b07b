// The README's Managed Parties (v4) example runs as written: its shell block, with curl and jq, against
// a real server and the real sandbox at the sandbox's default speed, printing the line the README shows.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalStack } from './support/local-stack.js';
import { tempDir } from './support/test-server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const README = readFileSync(join(HERE, '..', 'README.md'), 'utf8');

function shellBlockUnder(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const open = README.indexOf('```sh\n', start);
  return README.slice(open + 6, README.indexOf('\n```', open + 6));
}

const dir = tempDir('readme-managed');
afterAll(() => dir.remove());

describe('README: Managed Parties (v4)', () => {
  it('the curl example stages a payout with an approver and prints the line the README promises', async () => {
    const block = shellBlockUnder('Managed Parties (v4)');
    const promised = block
      .split('\n')
      .filter((line) => line.startsWith('# {'))
      .map((line) => line.slice(2))
      .at(-1);
    expect(promised).toBeDefined();
    const stack = await startLocalStack({
      databaseUrl: `sqlite:${join(dir.path, 'readme.db')}`,
      sandbox: { speed: 1 },
    });
    try {
      const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', block], {
        env: { ...process.env, NOTIFYKIT_URL: stack.server.url, NOTIFYKIT_API_TOKEN: stack.server.apiToken },
      });
      expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual(JSON.parse(promised!));
    } finally {
      await stack.close();
    }
  }, 60_000);
});
