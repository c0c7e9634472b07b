import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary: `npm test` builds before running, so child processes run the real `notifykit-server`. */
export const SERVER_BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  stdout: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `notifykit-server` and resolves once it printed its `listening on` line. */
export function spawnServer(args: string[], env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, [SERVER_BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout.push(chunk);
      buffer += chunk;
      const match = /^listening on (http:\/\/\S+)$/m.exec(buffer);
      if (match) resolve({ child, url: match[1]!, stdout, stderr, exited });
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`notifykit-server exited (${code ?? signal}) before listening: ${stderr.join('')}`)),
    );
  });
}

/** Runs `notifykit-server` to completion (for commands and start-up failures). */
export function runServer(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER_BIN, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
