// The real `notifykit` binary as a child process, through the committed launcher (bin/notifykit.js →
// dist/bin.js): `npm test` builds first, so this is exactly what `npx notifykit` runs.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const CLI_LAUNCHER = fileURLToPath(new URL('../../bin/notifykit.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every line any CLI run printed, so a test can check that no secret ever appeared. */
export const allOutput: string[] = [];

function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcessWithoutNullStreams {
  if (!existsSync(BUILT)) throw new Error(`${BUILT} is missing: run \`npm run build\` first`);
  return spawn(process.execPath, [CLI_LAUNCHER, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs `notifykit …` to completion. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawnCli(args, env);
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) =>
    child.once('close', (code) => {
      allOutput.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    }),
  );
}

export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts a long-running `notifykit …` (events --follow, listen, bulk to be killed). */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      allOutput.push(stdout, stderr);
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** JSON on stdout of a successful run (fails the test with stderr when the run failed). */
export function jsonOf<T = Record<string, unknown>>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`notifykit exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A failed run's stderr: one line naming the problem (and a hint), matching `pattern`. */
export function expectOneErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^notifykit: /);
  expect(lines[0]).toMatch(pattern);
}
