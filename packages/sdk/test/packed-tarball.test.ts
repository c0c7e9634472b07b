// The SDK as a company installs it: `npm pack` of a copy of packages/sdk (whose prepack cleans and
// rebuilds, so the copy's planted stale file must not ship), installed from the tarball into scratch
// projects in a temporary directory — an ES module project, a CommonJS project, TypeScript projects
// with `module: node16` in a CommonJS package and `nodenext` in an ES module package — and checked by
// @arethetypeswrong/cli. Packed and installed once per run, offline: zod, the one dependency, is linked
// from this repository's node_modules.

import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTRY_POINTS } from './support/entry-points.js';
import { signingVectorFile } from './support/signing-vectors.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SDK = join(REPO, 'packages', 'sdk');
const BIN = join(REPO, 'node_modules', '.bin');

const { vectors } = signingVectorFile;
const VECTORS_JSON = JSON.stringify({ vectors });

/** The environment without the `npm_*` variables of the `npm test` around us (its prefix, its workspace). */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

async function run(file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(file, args, { cwd, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`);
  }
}

const node = (script: string, cwd: string, ...args: string[]) => run(process.execPath, [script, ...args], cwd);

function write(path: string, content: string | object): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
}

/** The same script for both module systems: only how the SDK is loaded differs. */
function script(kind: 'esm' | 'cjs', body: string): string {
  const load = ENTRY_POINTS.map(([specifier], i) =>
    kind === 'esm' ? `import * as entry${i} from '${specifier}';` : `const entry${i} = require('${specifier}');`,
  );
  const resolveFn = kind === 'esm' ? '(s) => fileURLToPath(import.meta.resolve(s))' : '(s) => require.resolve(s)';
  const prelude =
    kind === 'esm'
      ? "import { fileURLToPath } from 'node:url';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);"
      : '';
  return `${prelude}\n${load.join('\n')}\nconst entries = [${ENTRY_POINTS.map((_, i) => `entry${i}`).join(', ')}];\nconst specifiers = ${JSON.stringify(ENTRY_POINTS.map(([s]) => s))};\nconst resolveEntry = ${resolveFn};\n${body}\n`;
}

const ENTRY_POINTS_BODY = `
console.log(JSON.stringify(specifiers.map((s, i) => ({ resolved: resolveEntry(s), names: Object.keys(entries[i]).sort() }))));
`;

// Signs every shared vector with its fixed date and verifies the result, through @notifykit/sdk/signing.
const VECTORS_BODY = `
const { signRequest, verifyRequestSignature } = entries[1];
const { vectors } = JSON.parse(process.argv[2]);
console.log(JSON.stringify(vectors.map((v) => {
  const signed = signRequest({
    method: v.method, path: v.path, body: v.body, username: v.username, secret: v.secret,
    algorithm: v.algorithm, date: v.x_date, headers: v.headers_list.split(' '),
  });
  const verified = verifyRequestSignature(
    { method: v.method, path: v.path, headers: signed.headers, body: v.body },
    { secrets: (u) => (u === v.username ? v.secret : undefined), now: Date.parse(v.x_date) },
  );
  return { headers: signed.headers, signingString: signed.signingString, verified };
})));
`;

// Loads the other build beside this one (an ES module app with a CommonJS dependency on the SDK), and
// checks errors made or thrown by either copy against the classes of both.
const CROSS_COPY_BODY = `
const mine = entries[0];
const other = process.argv[2] === 'esm' ? require('${ENTRY_POINTS[0][0]}') : await import('${ENTRY_POINTS[0][0]}');
const thrown = (sdk) => {
  try {
    sdk.signRequest({ method: 'POST', path: '/', body: '', username: 'u', secret: '' });
  } catch (e) {
    return e;
  }
};
const webhookError = (sdk) => {
  try {
    sdk.verifyWebhook({ rawBody: Buffer.from('{}'), headers: {}, secrets: ['whsec_x'] });
  } catch (e) {
    return e;
  }
};
const state = mine.IngoApiError.generate({ status: 781, clientMessage: 'already terminal', httpStatus: 200 });
console.log(JSON.stringify({
  twoCopies: mine.ValidationError !== other.ValidationError,
  mineIsOther: new mine.ValidationError([]) instanceof other.ValidationError,
  otherIsMine: new other.ValidationError([]) instanceof mine.ValidationError,
  otherIsMineBase: new other.ValidationError([]) instanceof mine.NotifykitError,
  otherIsMineError: new other.ValidationError([]) instanceof Error,
  thrownByOther: thrown(other) instanceof mine.ConfigurationError,
  thrownByMine: thrown(mine) instanceof other.ConfigurationError,
  webhookByOther: webhookError(other) instanceof mine.WebhookVerificationError,
  stateSubclass: state instanceof other.IngoStateError && state instanceof other.IngoApiError,
  notAnotherKind: new other.ValidationError([]) instanceof mine.AuthenticationError,
  stateIsNotValidation: state instanceof other.IngoValidationError,
}));
`;

const CROSS_COPY_EXPECTED = {
  twoCopies: true,
  mineIsOther: true,
  otherIsMine: true,
  otherIsMineBase: true,
  otherIsMineError: true,
  thrownByOther: true,
  thrownByMine: true,
  webhookByOther: true,
  stateSubclass: true,
  notAnotherKind: false,
  stateIsNotValidation: false,
};

/** A TypeScript consumer using every entry point, the exported input types and the error classes. */
const TS_CONSUMER = `
import { type CancelInput, IngoClient, IngoStateError, type ManagedStageInput, type StageInput, type StageResult } from '@notifykit/sdk';
import { type SignedRequest, signRequest } from '@notifykit/sdk/signing';
import { type IngoWebhookEvent, verifyWebhook } from '@notifykit/sdk/webhooks';
import { applyEvent, type DisbursementState, initialState } from '@notifykit/sdk/lifecycle';

export const client = new IngoClient({ username: 'acme', secret: 's3cret', participantId: 12345 });
export const stage: StageInput = {
  amount: '250.00',
  participant_unique_id1: 'pay-1',
  recipient: { first_name: 'Alex', last_name: 'Rivera', email: 'alex@example.com' },
  authentication_records: [
    { field_label: 'Last 4 SSN', field_order: 1, validation_type: 3, match_failure_type: 1, client_provided_value: '6789' },
  ],
};
export const cancel: CancelInput = {
  participant_unique_id1: 'pay-1', tracer_id: 'trc-1', first_name: 'Alex', last_name: 'Rivera', amount: '250.00',
};
export type Managed = ManagedStageInput['transaction_parties'];
export const pending: Promise<StageResult> = client.notify.stage(stage);
export const signed: SignedRequest = signRequest({ method: 'POST', path: '/gateway/v3/notify', body: '{}', username: 'acme', secret: 's3cret' });
export function track(events: readonly IngoWebhookEvent[]): DisbursementState {
  return events.reduce((state, event) => applyEvent(state, event), initialState());
}
export function receive(rawBody: Buffer, headers: Record<string, string>): IngoWebhookEvent {
  return verifyWebhook({ rawBody, headers, secrets: ['whsec_x'] });
}
export function refused(e: unknown): number | undefined {
  return e instanceof IngoStateError ? e.status : undefined;
}
`;

function tsconfig(module: 'node16' | 'nodenext', files: string[]): object {
  return {
    compilerOptions: {
      module,
      moduleResolution: module,
      target: 'ES2022',
      lib: ['ES2023'],
      strict: true,
      noUncheckedIndexedAccess: true,
      // Checking every declaration file (@types/node and zod included) would cost four times as long;
      // what can go wrong in ours is resolution, which the file list below and attw check.
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [join(REPO, 'node_modules', '@types')],
    },
    files,
  };
}

/** The first ```ts block of a README, as written. */
function firstTsExample(markdown: string): string {
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(markdown);
  if (match?.[1] === undefined) throw new Error('the README has no ```ts block');
  return match[1];
}

let work: string;
let tarball: string;
let packed: string[];
/** The scratch projects share one installation, node_modules at their common root. */
let consumer: string;
let installed: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'notifykit-tarball-'));
  // A copy of packages/sdk at the same depth, so its tsconfigs find tsconfig.base.json and the
  // repository's node_modules (TypeScript, @types/node, zod) as they do here.
  const stage = join(work, 'repo', 'packages', 'sdk');
  cpSync(SDK, stage, {
    recursive: true,
    filter: (from) => !/[/\\](node_modules|dist)$/.test(from),
  });
  cpSync(join(REPO, 'tsconfig.base.json'), join(work, 'repo', 'tsconfig.base.json'));
  symlinkSync(join(REPO, 'node_modules'), join(work, 'repo', 'node_modules'), 'dir');
  // Left over from a module that was moved away: a clean build must not ship it.
  write(join(stage, 'dist', 'moved-away.js'), 'export const stale = true;\n');

  const [pack] = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work], stage)) as [
    { filename: string; files: { path: string }[] },
  ];
  tarball = join(work, pack.filename);
  packed = pack.files.map((f) => f.path).sort();

  consumer = join(work, 'consumer');
  write(join(consumer, 'package.json'), {
    name: 'notifykit-consumer',
    private: true,
    dependencies: { '@notifykit/sdk': `file:${tarball}`, zod: `file:${join(REPO, 'node_modules', 'zod')}` },
  });
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer);
  installed = join(consumer, 'node_modules', '@notifykit', 'sdk');

  write(join(consumer, 'esm', 'package.json'), { type: 'module' });
  write(join(consumer, 'cjs', 'package.json'), {}); // no "type": CommonJS, Node's default
  for (const kind of ['esm', 'cjs'] as const) {
    write(join(consumer, kind, 'entry-points.js'), script(kind, ENTRY_POINTS_BODY));
    write(join(consumer, kind, 'vectors.js'), script(kind, VECTORS_BODY));
  }
  // Top-level await: an ES module only; the CommonJS side runs the same body in an async function.
  write(join(consumer, 'esm', 'cross-copy.js'), script('esm', CROSS_COPY_BODY));
  write(join(consumer, 'cjs', 'cross-copy.js'), script('cjs', `(async () => {${CROSS_COPY_BODY}})();`));

  write(join(consumer, 'ts-node16-cjs', 'package.json'), {});
  write(join(consumer, 'ts-node16-cjs', 'consumer.ts'), TS_CONSUMER);
  write(join(consumer, 'ts-node16-cjs', 'tsconfig.json'), tsconfig('node16', ['consumer.ts']));
  write(join(consumer, 'ts-nodenext-esm', 'package.json'), { type: 'module' });
  write(join(consumer, 'ts-nodenext-esm', 'consumer.ts'), TS_CONSUMER);
  // The README shipped in the tarball: its first example must compile exactly as printed.
  const readme = readFileSync(join(installed, 'README.md'), 'utf8');
  write(join(consumer, 'ts-nodenext-esm', 'readme-first-example.ts'), `${firstTsExample(readme)}\nexport {};\n`);
  write(
    join(consumer, 'ts-nodenext-esm', 'tsconfig.json'),
    tsconfig('nodenext', ['consumer.ts', 'readme-first-example.ts']),
  );
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the package files, both builds with their declarations and maps, and the sources without tests', () => {
    const allowed = [
      /^(LICENSE|README\.md|package\.json|cjs\/package\.json)$/,
      /^(cjs\/)?dist\/[\w/.-]+\.(js|d\.ts|js\.map|d\.ts\.map)$/,
      /^src\/[\w/.-]+\.ts$/,
    ];
    expect(packed.filter((f) => !allowed.some((pattern) => pattern.test(f)))).toEqual([]);
    expect(packed.filter((f) => /\.tsbuildinfo$|\.test\.ts$|^test\/|^bench\/|moved-away/.test(f))).toEqual([]);
    for (const [, , file] of ENTRY_POINTS) {
      for (const built of [`dist/${file}`, `cjs/dist/${file}`]) {
        for (const ext of ['.js', '.d.ts', '.js.map', '.d.ts.map']) expect(packed).toContain(`${built}${ext}`);
      }
    }
    expect(packed).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'cjs/package.json']));
  });

  it('builds every source module, and only those, in both formats', () => {
    const modules = (prefix: string, ext: RegExp) =>
      packed
        .filter((f) => f.startsWith(prefix) && ext.test(f))
        .map((f) => f.slice(prefix.length).replace(ext, ''))
        .sort();
    const sources = modules('src/', /\.ts$/);
    expect(sources.length).toBeGreaterThan(10);
    expect(modules('dist/', /\.js$/)).toEqual(sources);
    expect(modules('cjs/dist/', /\.js$/)).toEqual(sources);
    expect(modules('dist/', /\.d\.ts$/)).toEqual(sources);
    expect(modules('cjs/dist/', /\.d\.ts$/)).toEqual(sources);
  });

  it('has source maps whose every source is shipped', () => {
    const maps = packed.filter((f) => f.endsWith('.map'));
    expect(maps.length).toBe(packed.filter((f) => /\.(js|d\.ts)$/.test(f)).length);
    for (const map of maps) {
      const { sources, sourceRoot } = JSON.parse(readFileSync(join(installed, map), 'utf8')) as {
        sources: string[];
        sourceRoot?: string;
      };
      expect(sources.length, map).toBeGreaterThan(0);
      for (const source of sources) {
        const target = relative(installed, resolve(installed, dirname(map), sourceRoot ?? '', source));
        expect(packed, `${map} → ${source}`).toContain(target.split('\\').join('/'));
      }
    }
  });

  it('carries the repository LICENSE and README, and a package.json claiming what is tested', () => {
    expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toBe(readFileSync(join(REPO, 'LICENSE'), 'utf8'));
    expect(readFileSync(join(installed, 'README.md'), 'utf8')).toBe(readFileSync(join(SDK, 'README.md'), 'utf8'));
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ license: 'MIT', engines: { node: '>=20.19' }, dependencies: { zod: '^4.6.7' } });
    expect(JSON.parse(readFileSync(join(installed, 'cjs', 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
  });

  it('passes @arethetypeswrong/cli: types and JavaScript agree for every entry point and resolution mode', async () => {
    const out = await run(
      join(BIN, 'attw'),
      [tarball, '--format', 'ascii', '--no-emoji', '--no-color', '--no-definitely-typed'],
      work,
    );
    expect(out).toContain('No problems found');
  }, 120_000);
});

describe('installed from the tarball', () => {
  it.each([
    ['an ES module', 'esm'],
    ['a CommonJS', 'cjs'],
  ] as const)(
    '%s project loads every entry point from its own build, with the same names as the source',
    async (_name, kind) => {
      const results = JSON.parse(await node('entry-points.js', join(consumer, kind))) as {
        resolved: string;
        names: string[];
      }[];
      ENTRY_POINTS.forEach(([specifier, source, file], i) => {
        expect(results[i]?.resolved, specifier).toBe(
          join(installed, kind === 'esm' ? 'dist' : join('cjs', 'dist'), `${file}.js`),
        );
        expect(results[i]?.names, specifier).toEqual(Object.keys(source).sort());
      });
    },
  );

  it('reproduces the shared signing vectors byte for byte through the ES module and the CommonJS build', async () => {
    const esm = JSON.parse(await node('vectors.js', join(consumer, 'esm'), VECTORS_JSON));
    const cjs = JSON.parse(await node('vectors.js', join(consumer, 'cjs'), VECTORS_JSON));
    expect(cjs).toEqual(esm);
    expect(esm).toHaveLength(vectors.length);
    vectors.forEach((v, i) => {
      const result = esm[i] as { headers: Record<string, string>; signingString: string; verified: unknown };
      expect(result.headers, v.name).toMatchObject({
        'X-Date': v.x_date,
        'Content-Type': 'application/json',
        'Content-sha512': v.content_sha512,
        'Content-Length': v.content_length,
      });
      expect(result.headers.Authorization, v.name).toContain(`signature="${v.signature}"`);
      if (v.authorization) expect(result.headers.Authorization, v.name).toBe(v.authorization);
      if (v.signing_string) expect(result.signingString, v.name).toBe(v.signing_string);
      expect(result.verified, v.name).toEqual({ username: v.username, algorithm: v.algorithm });
    });
  });

  it.each([
    ['an ES module', 'esm'],
    ['a CommonJS', 'cjs'],
  ] as const)(
    'errors keep instanceof across the ES module and CommonJS copies (from %s project)',
    async (_name, kind) => {
      expect(JSON.parse(await node('cross-copy.js', join(consumer, kind), kind))).toEqual(CROSS_COPY_EXPECTED);
    },
  );

  it.each([
    ['module node16 in a CommonJS package', 'ts-node16-cjs', join('cjs', 'dist')],
    ['module nodenext in an ES module package, with the README’s first example', 'ts-nodenext-esm', 'dist'],
  ])(
    'TypeScript with %s compiles against the declarations of its own format',
    async (_name, project, declarations) => {
      // Type errors make tsc exit non-zero (and `run` throw with its output); otherwise it prints the
      // files of the program: which declarations of the SDK and of zod it resolved.
      const files = (
        await run(
          process.execPath,
          [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--listFiles'],
          join(consumer, project),
        )
      )
        .split('\n')
        .map((f) => f.trim());
      const sdkFiles = files.filter((f) => f.startsWith(installed)).map((f) => relative(installed, f));
      expect(sdkFiles).toContain(join(declarations, 'index.d.ts'));
      expect(sdkFiles.filter((f) => !f.startsWith(`${declarations}/`))).toEqual([]);
      expect(files.some((f) => /[/\\]zod[/\\]/.test(f) && /\.d\.c?ts$/.test(f))).toBe(true);
    },
    120_000,
  );
});
