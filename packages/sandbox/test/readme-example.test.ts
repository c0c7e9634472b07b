// The README's Managed Parties (v4) example, run as written: transpiled to JavaScript, executed by node
// as its own process against a real sandbox, its imports resolved to the built packages.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const README = readFileSync(join(HERE, '..', 'README.md'), 'utf8');

function blockUnder(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const open = README.indexOf('```ts\n', start);
  const close = README.indexOf('\n```', open + 6);
  return README.slice(open + 6, close);
}

// Inside the package, so `@notifykit/sdk` and `@notifykit/sandbox` resolve as they do for a user.
const dir = mkdtempSync(join(HERE, '..', '.readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README: Managed Parties (v4)', () => {
  it('runs as written: the recipient first, then the approver opens the gate', async () => {
    const js = ts.transpileModule(blockUnder('Managed Parties (v4)'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const file = join(dir, 'example.mjs');
    writeFileSync(file, js);
    const sandbox = await startSandbox({ port: 0, db: ':memory:', logLevel: 'silent' });
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [file], {
        env: { ...process.env, SANDBOX_URL: sandbox.url },
      });
      const [status, parties] = stdout.trim().split(' ');
      expect(status).toBe('approved');
      expect(JSON.parse(parties!)).toEqual([
        expect.objectContaining({ role_name: 'recipient', state: 'approved' }),
        expect.objectContaining({ role_name: 'approver', decision: 'approved' }),
      ]);
    } finally {
      await sandbox.close();
    }
  }, 30_000);
});
