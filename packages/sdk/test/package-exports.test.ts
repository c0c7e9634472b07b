// The entry points as a consumer reaches them: the built package through its `exports` map (run by a
// real Node process) and its `types` conditions (resolved by TypeScript, including the `typesVersions`
// fallback for the older `node10` resolution). `npm test` builds dist before running this.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as lifecycle from '../src/lifecycle/index.js';
import * as signing from '../src/signing/index.js';
import * as webhooks from '../src/webhooks/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SDK = join(REPO, 'packages', 'sdk');

const ENTRIES = [
  ['@notifykit/sdk', root, 'index'],
  ['@notifykit/sdk/signing', signing, 'signing/index'],
  ['@notifykit/sdk/webhooks', webhooks, 'webhooks/index'],
  ['@notifykit/sdk/lifecycle', lifecycle, 'lifecycle/index'],
] as const;

/** Runs an ES module snippet in a fresh Node from the repository root, as a workspace consumer would. */
async function runNode(source: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', source], { cwd: REPO });
  return stdout.trim();
}

describe('package exports', () => {
  it.each(ENTRIES)(
    '%s resolves in Node to the built entry with the same names as the source',
    async (specifier, source) => {
      const out = await runNode(
        `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`,
      );
      expect(JSON.parse(out)).toEqual(Object.keys(source).sort());
    },
  );

  it('does not let a consumer reach a module that is not an entry point', async () => {
    const out = await runNode(
      "try { await import('@notifykit/sdk/dist/client/request-sender.js'); console.log('imported'); } catch (e) { console.log(e.code); }",
    );
    expect(out).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it.each([
    ['nodenext', ts.ModuleKind.NodeNext, ts.ModuleResolutionKind.NodeNext],
    ['bundler', ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler],
    ['node10', ts.ModuleKind.CommonJS, ts.ModuleResolutionKind.Node10],
  ] as const)(
    'TypeScript (%s resolution) finds the declarations of every entry point',
    (_name, module, moduleResolution) => {
      const from = join(REPO, 'consumer.ts');
      for (const [specifier, , file] of ENTRIES) {
        const { resolvedModule } = ts.resolveModuleName(specifier, from, { module, moduleResolution }, ts.sys);
        expect(resolvedModule?.resolvedFileName, specifier).toBe(join(SDK, 'dist', `${file}.d.ts`));
      }
    },
  );
});
