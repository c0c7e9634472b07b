// The notifykit-sandbox binary as a real child process, started from the build (dist/bin.js).

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface SandboxProcess {
  url: string;
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function spawnSandbox(args: readonly string[], { timeoutMs = 15_000 } = {}): Promise<SandboxProcess> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npx tsc -b packages/sandbox)`);
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    out += d;
  });
  child.stderr.on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await Promise.race([
    waitFor(() => /listening on (http:\/\/\S+)\n/.exec(out)?.[1], { timeoutMs, what: 'the listening line' }),
    exited.then(({ code }) => {
      throw new Error(`sandbox exited with ${code} before listening: ${err}`);
    }),
  ]);
  return { url, child, stdout: () => out, stderr: () => err, exited };
}
