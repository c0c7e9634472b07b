// What every package.json claims must hold for what CI tests: the same Node range everywhere (the one
// .nvmrc and this run satisfy), a lockfile in which every dependency accepts the lowest Node we claim
// (so `npm ci` prints no EBADENGINE; .ci/run also fails on one), the override that makes that true
// still compatible with its user, and the same MIT LICENSE at the root and in every package.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const NODE_RANGE = '>=20.19';

interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  engines?: { node?: string };
  files?: string[];
  workspaces?: string[];
  overrides?: Record<string, unknown>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as T;
const root = readJson<Manifest>('package.json');
const workspaces = (root.workspaces ?? []).map((dir) => ({ dir, manifest: readJson<Manifest>(`${dir}/package.json`) }));
const LICENSE = readFileSync(join(REPO, 'LICENSE'), 'utf8');

describe('engines', () => {
  it(`are ${NODE_RANGE} in the root and every workspace package`, () => {
    expect(workspaces.map((w) => w.dir)).toEqual([
      'packages/sdk',
      'packages/sandbox',
      'packages/server',
      'packages/cli',
    ]);
    expect(root.engines?.node).toBe(NODE_RANGE);
    for (const { dir, manifest } of workspaces) expect(manifest.engines?.node, dir).toBe(NODE_RANGE);
  });

  it('include the Node of .nvmrc and the Node running these tests', () => {
    const nvmrc = readFileSync(join(REPO, '.nvmrc'), 'utf8').trim();
    expect(semver.satisfies(process.version, NODE_RANGE)).toBe(true);
    expect(semver.intersects(`^${nvmrc}`, NODE_RANGE)).toBe(true);
  });

  it('of every locked dependency accept the lowest Node notifykit claims', () => {
    const lowest = semver.minVersion(NODE_RANGE)!.version;
    const lock = readJson<{ packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> }>(
      'package-lock.json',
    );
    const locked = Object.entries(lock.packages).filter(([path]) => path.startsWith('node_modules/'));
    expect(locked.length).toBeGreaterThan(100);
    const refusing = locked
      .map(([path, entry]) => ({ path, node: Array.isArray(entry.engines) ? undefined : entry.engines?.node }))
      .filter(({ node }) => node !== undefined && !semver.satisfies(lowest, node, { includePrerelease: true }))
      .map(({ path, node }) => `${path} wants node ${node}`);
    expect(refusing).toEqual([]);
  });

  it("keep light-my-request (fastify's inject) on cookie 1, whose stringifySetCookie it still works with", async () => {
    expect(root.overrides).toEqual({ 'light-my-request': { cookie: '^1.1.1' } });
    const lock = readJson<{ packages: Record<string, { version: string }> }>('package-lock.json');
    const cookie = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/cookie$/.test(path));
    expect(cookie.map(([, entry]) => semver.major(entry.version))).toEqual([1]);

    // The one use light-my-request makes of cookie: the Cookie header of an injected request.
    const app = Fastify();
    app.get('/', async (request) => ({ cookie: request.headers.cookie }));
    try {
      const response = await app.inject({ url: '/', cookies: { session: 'a b;c', theme: 'dark' } });
      expect(response.json()).toEqual({ cookie: 'session=a%20b%3Bc; theme=dark' });
    } finally {
      await app.close();
    }
  });
});

describe('license', () => {
  it('is MIT, in a LICENSE at the root', () => {
    expect(LICENSE).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} notifykit contributors\n/);
    expect(root.license).toBe('MIT');
  });

  it.each(workspaces.map((w) => [w.dir, w.manifest] as const))(
    '%s declares MIT, ships the same LICENSE file and lists it in files',
    (dir, manifest) => {
      expect(manifest.license).toBe('MIT');
      expect(manifest.files).toContain('LICENSE');
      expect(readFileSync(join(REPO, dir, 'LICENSE'), 'utf8')).toBe(LICENSE);
    },
  );
});
