import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/webhooks/verify.js';
import { signed } from './support/signed-webhooks.js';
import { FIXTURES, fields, fixture, fixtureExpectations } from './support/webhook-fixtures.js';

describe('verifyWebhook on the fixtures of Ingo’s event reference', () => {
  it('has an expectation for every fixture file', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(fixtureExpectations).sort());
  });

  for (const [name, expected] of Object.entries(fixtureExpectations)) {
    it(`verifies and normalizes ${name}`, () => {
      const text = fixture(name);
      const event = verifyWebhook(signed(Buffer.from(text, 'utf8')));
      expect(fields(event)).toEqual(expected);
      expect(event.raw).toEqual(JSON.parse(text));
      // The same bytes given as a string verify the same.
      expect(fields(verifyWebhook(signed(text)))).toEqual(expected);
    });
  }
});
