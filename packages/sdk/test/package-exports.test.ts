// The entry points as a consumer reaches them: the built package through its `exports` map (run by a
// real Node process, with `import` and with `require`) and its `types` conditions (resolved by
// TypeScript, including the `typesVersions` fallback for the older `node10` resolution). `npm test`
// builds dist/ (ES modules) and cjs/dist/ (CommonJS) before running this; test/packed-tarball.test.ts
// checks the same from the published tarball.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ENTRY_POINTS } from './support/entry-points.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SDK = join(REPO, 'packages', 'sdk');

/** Runs a snippet (an ES module or a CommonJS script) in a fresh Node from the repository root, as a workspace consumer would. */
async function runNode(source: string, inputType: 'module' | 'commonjs' = 'module'): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [`--input-type=${inputType}`, '-e', source], {
    cwd: REPO,
  });
  return stdout.trim();
}

describe('package exports', () => {
  it.each(ENTRY_POINTS)(
    '%s resolves in Node to the built entry with the same names as the source',
    async (specifier, source, file) => {
      const out = await runNode(
        `const m = await import(${JSON.stringify(specifier)}); console.log(JSON.stringify(Object.keys(m).sort()));`,
      );
      expect(JSON.parse(out)).toEqual(Object.keys(source).sort());
      const resolved = await runNode(`console.log(import.meta.resolve(${JSON.stringify(specifier)}));`);
      expect(fileURLToPath(resolved)).toBe(join(SDK, 'dist', `${file}.js`));
    },
  );

  it.each(ENTRY_POINTS)(
    '%s resolves in Node through require to the CommonJS build with the same names as the source',
    async (specifier, source, file) => {
      const out = await runNode(
        `console.log(JSON.stringify([require.resolve(${JSON.stringify(specifier)}), Object.keys(require(${JSON.stringify(specifier)})).sort()]));`,
        'commonjs',
      );
      const [resolved, names] = JSON.parse(out) as [string, string[]];
      expect(resolved).toBe(join(SDK, 'cjs', 'dist', `${file}.js`));
      expect(names).toEqual(Object.keys(source).sort());
    },
  );

  it('does not let a consumer reach a module that is not an entry point', async () => {
    const out = await runNode(
      "try { await import('@notifykit/sdk/dist/client/request-sender.js'); console.log('imported'); } catch (e) { console.log(e.code); }",
    );
    expect(out).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    const required = await runNode(
      "try { require('@notifykit/sdk/cjs/dist/client/request-sender.js'); console.log('required'); } catch (e) { console.log(e.code); }",
      'commonjs',
    );
    expect(required).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  // An ES module importer gets the ES module declarations (dist/), a CommonJS one (a `require` under
  // node16/nodenext, or node10 which ignores `exports`) the CommonJS declarations (cjs/dist/), whose
  // format cjs/package.json declares: neither kind of consumer is handed types of the other format.
  it.each([
    [
      'nodenext, from an ES module',
      ts.ModuleKind.NodeNext,
      ts.ModuleResolutionKind.NodeNext,
      ts.ModuleKind.ESNext,
      'dist',
    ],
    [
      'nodenext, from CommonJS',
      ts.ModuleKind.NodeNext,
      ts.ModuleResolutionKind.NodeNext,
      ts.ModuleKind.CommonJS,
      'cjs/dist',
    ],
    ['node16, from CommonJS', ts.ModuleKind.Node16, ts.ModuleResolutionKind.Node16, ts.ModuleKind.CommonJS, 'cjs/dist'],
    ['bundler', ts.ModuleKind.ESNext, ts.ModuleResolutionKind.Bundler, undefined, 'dist'],
    ['node10', ts.ModuleKind.CommonJS, ts.ModuleResolutionKind.Node10, undefined, 'cjs/dist'],
  ] as const)(
    'TypeScript (%s) finds the declarations of every entry point',
    (_name, module, moduleResolution, mode, dir) => {
      const from = join(REPO, 'consumer.ts');
      for (const [specifier, , file] of ENTRY_POINTS) {
        const { resolvedModule } = ts.resolveModuleName(
          specifier,
          from,
          { module, moduleResolution },
          ts.sys,
          undefined,
          undefined,
          mode,
        );
        expect(resolvedModule?.resolvedFileName, specifier).toBe(join(SDK, dir, `${file}.d.ts`));
      }
    },
  );
});
