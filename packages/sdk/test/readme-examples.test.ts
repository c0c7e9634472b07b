// The README's TypeScript blocks are the SDK's front page, so they are checked like code: each one is
// type-checked against the real sources with the project's compiler settings, then run against a local
// Ingo that verifies every signature. A renamed option, a wrong field or a stale import fails here.

import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';
import * as lifecycleEntry from '../src/lifecycle/index.js';
import * as signingEntry from '../src/signing/index.js';
import * as webhooksEntry from '../src/webhooks/index.js';
import { startIngoTestServer } from './support/ingo-test-server.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..', '..');
const README = readFileSync(join(HERE, '..', 'README.md'), 'utf8');

interface Block {
  /** The `##` heading the block stands under. */
  section: string;
  code: string;
}

function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (line.trim() !== '```ts') continue;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    blocks.push({ section, code: body.join('\n') });
  }
  return blocks;
}

/**
 * What a block may use without defining it, as declarations for the type check. Each block is checked
 * (and run) on its own, so anything an earlier block defined is declared here.
 */
const CONTEXT: Record<string, string> = {
  'Stage a disbursement': '',
  Cancel: "import type { IngoClient } from '@notifykit/sdk';\ndeclare const ingo: IngoClient;",
  'Void or stop a mailed check':
    "import type { IngoClient, StageResult } from '@notifykit/sdk';\ndeclare const ingo: IngoClient;\ndeclare const staged: StageResult;",
  'Managed Parties (v4)': '',
  'Verify a webhook': '',
  'Track the lifecycle':
    "import type { IngoWebhookEvent } from '@notifykit/sdk';\ndeclare const events: IngoWebhookEvent[];",
  'Sign and verify gateway requests': [
    "import type { IncomingMessage } from 'node:http';",
    'declare const username: string;',
    'declare const secret: string;',
    'declare const req: IncomingMessage;',
    'declare const rawBody: Buffer;',
  ].join('\n'),
};

const blocks = tsBlocks(README);

/** The package's entry points, as a block's imports see them. */
const ENTRY_POINTS = {
  '@notifykit/sdk': sdk,
  '@notifykit/sdk/signing': signingEntry,
  '@notifykit/sdk/webhooks': webhooksEntry,
  '@notifykit/sdk/lifecycle': lifecycleEntry,
};

/** Type-checks every block as its own ES module under packages/sdk/test, against the SDK's sources. */
function typeCheck(all: readonly Block[]): string[] {
  const base = ts.readConfigFile(join(REPO, 'tsconfig.base.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, REPO);
  Object.assign(options, {
    noEmit: true,
    declaration: false,
    declarationMap: false,
    sourceMap: false,
    baseUrl: REPO,
    paths: {
      '@notifykit/sdk': ['packages/sdk/src/index.ts'],
      '@notifykit/sdk/signing': ['packages/sdk/src/signing/index.ts'],
      '@notifykit/sdk/webhooks': ['packages/sdk/src/webhooks/index.ts'],
      '@notifykit/sdk/lifecycle': ['packages/sdk/src/lifecycle/index.ts'],
    },
  });
  const virtual = new Map(
    all.map((block, i) => [join(HERE, `readme-block-${i}.ts`), `${CONTEXT[block.section] ?? ''}\n${block.code}\n`]),
  );
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => {
    const text = virtual.get(f);
    return text === undefined
      ? getSourceFile.call(host, f, language, ...rest)
      : ts.createSourceFile(f, text, language, true);
  };
  const program = ts.createProgram([...virtual.keys()], options, host);
  return [...virtual.keys()].flatMap((file, i) =>
    ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const line =
        where === undefined ? '' : `:${where.line + 1 - (CONTEXT[all[i]!.section] ?? '').split('\n').length}`;
      return `README "${all[i]!.section}"${line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    }),
  );
}

// biome-ignore lint/complexity/useArrowFunction: the constructor of async functions is only reachable this way
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<Record<string, unknown>>;

/**
 * Runs a block as written (transpiled to CommonJS so its imports become `require` calls we answer) with
 * the given free variables, and returns the top-level bindings named in `results`.
 */
async function runBlock(
  section: string,
  modules: Record<string, unknown>,
  scope: Record<string, unknown>,
  results: readonly string[],
): Promise<Record<string, unknown>> {
  const block = blocks.find((b) => b.section === section);
  if (block === undefined) throw new Error(`README has no TypeScript block under "${section}"`);
  const js = ts.transpileModule(block.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const require = (id: string) => {
    if (!(id in modules)) throw new Error(`README block "${section}" imports ${id}, which the test does not provide`);
    return modules[id];
  };
  const exports: Record<string, unknown> = {};
  const names = Object.keys(scope);
  const run = new AsyncFunction(
    'require',
    'exports',
    ...names,
    `${js}\nreturn { ${results.map((r) => `${r}: typeof ${r} === 'undefined' ? exports.${r} : ${r}`).join(', ')} };`,
  );
  return run(require, exports, ...names.map((n) => scope[n]));
}

describe('README examples', () => {
  it('has a TypeScript block in every section the test knows, and the test knows every block', () => {
    expect(blocks.map((b) => b.section)).toEqual(Object.keys(CONTEXT));
  });

  it('type-check against the SDK sources under the strict project settings', () => {
    expect(typeCheck(blocks)).toEqual([]);
  }, 60_000);

  describe('run against a local Ingo that verifies signatures', () => {
    const USERNAME = 'readme-user';
    const SECRET = 'readme-secret-0f9e8d7c';
    const WEBHOOK_SECRET = 'whsec_readme_1a2b3c4d';
    let ingo: Awaited<ReturnType<typeof startIngoTestServer>>;
    const env = { INGO_USERNAME: USERNAME, INGO_SECRET: SECRET, INGO_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const processWithEnv = { ...process, env: { ...process.env, ...env } };
    // The README points at Ingo's sandbox host; the same client is pointed at the local one instead.
    class LocalIngoClient extends sdk.IngoClient {
      constructor(options: sdk.IngoClientOptions) {
        super({ ...options, environment: undefined, baseUrl: ingo.url });
      }
    }
    const sdkForBlocks = { ...sdk, IngoClient: LocalIngoClient };

    beforeAll(async () => {
      ingo = await startIngoTestServer({ [USERNAME]: SECRET });
    });
    afterAll(async () => {
      await ingo.close();
    });

    it('stage, then cancel the staged disbursement', async () => {
      const modules = { ...ENTRY_POINTS, '@notifykit/sdk': sdkForBlocks };
      const staged = await runBlock('Stage a disbursement', modules, { process: processWithEnv }, ['ingo', 'staged']);
      expect(staged.staged).toMatchObject({ status: 100, idempotentReplay: false, notificationId: expect.any(String) });
      expect(ingo.requests.at(-1)?.verification).toEqual({ username: USERNAME, algorithm: 'hmac-sha512' });

      const again = await runBlock('Stage a disbursement', modules, { process: processWithEnv }, ['staged']);
      expect(again.staged).toMatchObject({
        status: 101,
        idempotentReplay: true,
        notificationId: (staged.staged as sdk.StageResult).notificationId,
      });

      await runBlock('Cancel', modules, { ingo: staged.ingo }, []);
      const cancel = ingo.requests.at(-1)!;
      expect(cancel.url).toBe('/gateway/v3/notifycancel');
      expect(cancel.verification).toEqual({ username: USERNAME, algorithm: 'hmac-sha512' });
      const canceledAgain = await runBlock('Cancel', modules, { ingo: staged.ingo }, ['canceled']);
      // `canceled` is scoped to the try block; the 101 answer is observable on the wire.
      expect(canceledAgain.canceled).toBeUndefined();
      expect(ingo.requests).toHaveLength(4);

      const checks = await runBlock(
        'Void or stop a mailed check',
        modules,
        { ingo: staged.ingo, staged: staged.staged },
        ['voided'],
      );
      expect(checks.voided).toMatchObject({ status: 100, reasonCode: '74' });
      expect(ingo.requests.slice(-2).map((r) => [r.url, r.verification])).toEqual([
        ['/gateway/checkcancel', { username: USERNAME, algorithm: 'hmac-sha512' }],
        ['/gateway/checkstop', { username: USERNAME, algorithm: 'hmac-sha512' }],
      ]);
    });

    it('Managed Parties: stage with an approver, parties with their ids into the lifecycle, cancel through notifycancel', async () => {
      const modules = { ...ENTRY_POINTS, '@notifykit/sdk': sdkForBlocks };
      const { managed, state, canceled } = await runBlock(
        'Managed Parties (v4)',
        modules,
        { process: processWithEnv },
        ['managed', 'state', 'canceled'],
      );
      const result = managed as sdk.ManagedStageResult;
      expect(result.parties.map((p) => [p.clientProvidedId, p.role])).toEqual([
        ['recipient', 0],
        ['manager', 1],
      ]);
      expect((state as sdk.DisbursementState).status).toBe('staged');
      expect(canceled).toMatchObject({ status: 100, notificationId: result.notificationId });
      expect(ingo.requests.slice(-2).map((r) => [r.url, r.verification])).toEqual([
        ['/gateway/v4/notify', { username: USERNAME, algorithm: 'hmac-sha512' }],
        ['/gateway/v3/notifycancel', { username: USERNAME, algorithm: 'hmac-sha512' }],
      ]);
    });

    it('verify a webhook: 200 for a signed fixture, 401 with the error code otherwise', async () => {
      const { ingoWebhook } = await runBlock('Verify a webhook', ENTRY_POINTS, { process: processWithEnv }, [
        'ingoWebhook',
      ]);
      const handler = ingoWebhook as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
      const server = createServer((req, res) => void handler(req, res));
      server.listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/ingo`;
      try {
        const body = readFileSync(
          join(HERE, 'fixtures', 'webhooks', 'transaction.recipient.payment.status.success.json'),
        );
        const post = (signature: string) =>
          fetch(url, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json', 'x-ingo-signature': signature },
          });
        expect((await post(sdk.signWebhook(body, WEBHOOK_SECRET))).status).toBe(200);
        const refused = await post(sdk.signWebhook(body, 'whsec_someone_else'));
        expect(refused.status).toBe(401);
        expect(await refused.json()).toEqual({ error: 'ERR_WEBHOOK_SIGNATURE_MISMATCH' });
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('track the lifecycle over events in any order', async () => {
      const fixture = (name: string) =>
        sdk.parseWebhookEvent(readFileSync(join(HERE, 'fixtures', 'webhooks', `${name}.json`)));
      const events = [
        fixture('transaction.recipient.payment.status.success'),
        fixture('transaction.recipient.notification.status.bounced'),
      ];
      const { state } = await runBlock('Track the lifecycle', ENTRY_POINTS, { events }, ['state']);
      expect((state as sdk.DisbursementState).status).toBe('funded');
    });

    it('sign, and verify a request as a server receives it', async () => {
      const body = '{"participant_id":12345}';
      const signed = sdk.signRequest({
        method: 'POST',
        path: '/gateway/v3/notify',
        body,
        username: USERNAME,
        secret: SECRET,
      });
      const req = { method: 'POST', url: '/gateway/v3/notify', headers: signed.headers, httpVersion: '1.1' };
      const { headers, verified } = await runBlock(
        'Sign and verify gateway requests',
        ENTRY_POINTS,
        { username: USERNAME, secret: SECRET, req, rawBody: Buffer.from(body) },
        ['headers', 'verified'],
      );
      expect(Object.keys(headers as object)).toEqual([
        'X-Date',
        'Content-Type',
        'Content-sha512',
        'Content-Length',
        'Authorization',
      ]);
      expect(verified).toEqual({ username: USERNAME, algorithm: 'hmac-sha512' });
    });
  });
});
