// A fresh clone of this commit, installed and built the way the root README says: `npx notifykit`,
// `npx notifykit-server` and `npx notifykit-sandbox` run the clone's own binaries (npm links workspace
// bins at install time, before dist/ exists, hence the committed launchers in packages/*/bin/). Before
// the build, each says to run `npm run build` instead of npx going to the registry.
//
// To keep this test to seconds of install rather than minutes of download, the clone gets a copy of this
// checkout's node_modules with our own links (workspace packages and their bins) removed, and `npm
// install --offline` recreates exactly those links, as `npm ci` does.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const BINS = ['notifykit', 'notifykit-server', 'notifykit-sandbox'];
let clone: string;

const run = (command: string, args: string[], cwd = clone) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_yes: 'false' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

beforeAll(() => {
  const parent = mkdtempSync(join(tmpdir(), 'notifykit-first-install-'));
  clone = join(parent, 'notifykit');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', REPO, clone]);
  execFileSync('git', ['checkout', '--quiet', head], { cwd: clone });
  cpSync(join(REPO, 'node_modules'), join(clone, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  rmSync(join(clone, 'node_modules', '@notifykit'), { recursive: true, force: true });
  for (const bin of BINS) rmSync(join(clone, 'node_modules', '.bin', bin), { force: true });
  const install = run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts']);
  if (install.code !== 0) throw new Error(`npm install failed: ${install.stderr}`);
}, 240_000);

afterAll(() => {
  if (clone) rmSync(join(clone, '..'), { recursive: true, force: true });
});

describe('first install, on a fresh clone', () => {
  it('links the three binaries to committed launchers, which ask for a build while dist/ is missing', () => {
    for (const bin of BINS) {
      expect(existsSync(join(clone, 'node_modules', '.bin', bin)), bin).toBe(true);
      const result = run('npx', ['--no-install', bin, '--help']);
      expect(result.code, bin).toBe(1);
      expect(result.stderr.trim(), bin).toBe(
        `${bin}: not built yet: run \`npm run build\` first (at the repository root)`,
      );
    }
  });

  it('after `npm run build`, npx runs the local notifykit, notifykit-server and notifykit-sandbox', () => {
    const build = run('npm', ['run', 'build']);
    expect(build.code, build.stderr).toBe(0);
    const cli = run('npx', ['--no-install', 'notifykit', '--help']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('Usage: notifykit [options] [command]');
    expect(cli.stdout).toContain('bulk');
    const server = run('npx', ['--no-install', 'notifykit-server', '--help']);
    expect(server.code, server.stderr).toBe(0);
    expect(server.stdout).toContain('Usage: notifykit-server');
    const sandbox = run('npx', ['--no-install', 'notifykit-sandbox', '--help']);
    expect(sandbox.code, sandbox.stderr).toBe(0);
    expect(sandbox.stdout).toContain('Usage: notifykit-sandbox');
    const version = run('npx', ['--no-install', 'notifykit', '--version']);
    expect(version.stdout.trim()).toBe(
      JSON.parse(run('node', ['-p', 'JSON.stringify(require("./packages/cli/package.json").version)']).stdout),
    );
  }, 300_000);
});
