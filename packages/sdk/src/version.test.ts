import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SDK_VERSION, USER_AGENT } from './version.js';

describe('version', () => {
  it('matches package.json, so User-Agent tells the truth', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SDK_VERSION).toBe(pkg.version);
    expect(USER_AGENT).toBe(`notifykit/${pkg.version}`);
  });
});
