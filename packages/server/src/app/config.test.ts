import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '@notifykit/sdk';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS, isSandboxUrl, loadConfig } from './config.js';

const production = () => ({
  INGO_BASE_URL: 'https://payapi.ingo.money',
  INGO_USERNAME: 'acme',
  INGO_SECRET: 'prod-secret-value',
  INGO_PARTICIPANT_ID: '777',
  INGO_WEBHOOK_SECRET: 'prod-webhook-secret',
  NOTIFYKIT_API_TOKEN: 'prod-api-token-0123456789',
  NOTIFYKIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
});

describe('loadConfig', () => {
  it('development mode fills every credential with the development defaults', () => {
    const config = loadConfig({ NOTIFYKIT_ENV: 'development' });
    expect(config.ingo.baseUrl).toBe(DEVELOPMENT_DEFAULTS.ingoBaseUrl);
    expect(config.ingo.secret).toBe(DEVELOPMENT_DEFAULTS.ingoSecret);
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('sqlite:.notifykit/notifykit.db');
  });

  it('outside development mode, missing credentials are named (and nothing else)', () => {
    expect(() => loadConfig({})).toThrow(/INGO_USERNAME, INGO_SECRET, INGO_PARTICIPANT_ID/);
  });

  it('accepts real credentials against production', () => {
    const config = loadConfig(production());
    expect(config.ingo.participantId).toBe(777);
    expect(config.development).toBe(false);
  });

  for (const [name, value] of [
    ['INGO_SECRET', DEVELOPMENT_DEFAULTS.ingoSecret],
    ['INGO_WEBHOOK_SECRET', DEVELOPMENT_DEFAULTS.webhookSecret],
    ['NOTIFYKIT_API_TOKEN', DEVELOPMENT_DEFAULTS.apiToken],
    ['NOTIFYKIT_ENCRYPTION_KEY', DEVELOPMENT_DEFAULTS.encryptionKey],
  ] as const) {
    it(`refuses the development ${name} against a non-sandbox Ingo URL`, () => {
      const env = { ...production(), [name]: value };
      expect(() => loadConfig(env)).toThrow(ConfigurationError);
      expect(() => loadConfig(env)).toThrow(new RegExp(`refusing development secrets \\(${name}\\)`));
      // The same values are fine against the sandbox.
      expect(loadConfig({ ...env, INGO_BASE_URL: 'https://payapi-sandbox.ingo.money' }).ingo.username).toBe('acme');
    });
  }

  it('refuses development mode pointed at production', () => {
    expect(() => loadConfig({ NOTIFYKIT_ENV: 'development', INGO_BASE_URL: 'https://payapi.ingo.money' })).toThrow(
      /refusing development secrets/,
    );
  });

  it('flags override the environment', () => {
    const config = loadConfig(
      { ...production(), PORT: '4000', DATABASE_URL: 'sqlite::memory:' },
      { port: 0, databaseUrl: 'sqlite:/tmp/x.db', apiToken: 'flag-token-0123456789' },
    );
    expect(config.port).toBe(0);
    expect(config.databaseUrl).toBe('sqlite:/tmp/x.db');
    expect(config.apiToken).toBe('flag-token-0123456789');
  });

  it('rejects bad values with a specific message that does not echo secrets', () => {
    expect(() => loadConfig({ ...production(), PORT: '70000' })).toThrow(/PORT must be an integer/);
    expect(() => loadConfig({ ...production(), INGO_PARTICIPANT_ID: 'abc' })).toThrow(/INGO_PARTICIPANT_ID/);
    expect(() => loadConfig({ ...production(), NOTIFYKIT_API_TOKEN: 'short' })).toThrow(/at least 16/);
    expect(() => loadConfig({ ...production(), INGO_WEBHOOK_SIGNATURE: 'md5' })).toThrow(/INGO_WEBHOOK_SIGNATURE/);
    try {
      loadConfig({ ...production(), NOTIFYKIT_ENCRYPTION_KEY: 'c2VjcmV0LWtleQ==' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('c2VjcmV0LWtleQ==');
    }
  });

  it('supports several webhook secrets and signature schemes', () => {
    const config = loadConfig({
      ...production(),
      INGO_WEBHOOK_SECRET: 'new-one, old-one',
      INGO_WEBHOOK_SIGNATURE: 'sha256-hex',
    });
    expect(config.webhook.secrets).toEqual(['new-one', 'old-one']);
    expect(config.webhook).toMatchObject({ algorithm: 'sha256', encoding: 'hex' });
  });
});

describe('isSandboxUrl', () => {
  it.each([
    ['http://127.0.0.1:4010', true],
    ['http://localhost:4010', true],
    ['http://[::1]:4010', true],
    ['https://payapi-sandbox.ingo.money', true],
    ['https://payapi.ingo.money', false],
    ['https://payapi-sandbox.ingo.money.evil.com', false],
    ['not a url', false],
  ])('%s → %s', (url, expected) => {
    expect(isSandboxUrl(url)).toBe(expected);
  });
});
