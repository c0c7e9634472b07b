import { describe, expect, it, vi } from 'vitest';
import { freePort } from './support/local-stack.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';

// The gate every PostgreSQL suite passes through: under CI=true an unreachable PostgreSQL fails the
// file instead of silently skipping its tests.

describe('PostgreSQL tests are required under CI=true', () => {
  it('unreachable PostgreSQL throws when CI=true', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    await expect(requirePostgresUnlessLocal(url, { CI: 'true' })).rejects.toThrow(/required when CI=true/);
  });

  it('unreachable PostgreSQL outside CI is reported and skipped', async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(await requirePostgresUnlessLocal(url, {})).toMatchObject({ available: false });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/skipping PostgreSQL tests/));
    } finally {
      warn.mockRestore();
    }
  });
});
