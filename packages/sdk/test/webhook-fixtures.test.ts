import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LifecycleContext } from '../src/lifecycle/events.js';
import { reduceEvents } from '../src/lifecycle/reducer.js';
import { CATALOG_TOPICS } from '../src/topics/catalog.js';
import { verifyWebhook } from '../src/webhooks/verify.js';
import { ingoEvent } from './support/ingo-event-factory.js';
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

describe('the literal v4 (Managed Parties) fixtures, parsed and applied', () => {
  const recipient = 'a0000000-0000-4000-8000-000000000001';
  const approver = 'a7c4758b-4618-4893-a539-61a6b9aa4889';
  const context: LifecycleContext = {
    parties: [
      { partyId: recipient, role: 'recipient' },
      { partyId: approver, role: 'approver' },
    ],
  };
  const v4 = readdirSync(FIXTURES).filter((f) =>
    /^transaction\.(party\.|recipient\.payment\.status\.approvals\.)/.test(f),
  );
  const apply = (name: string) => reduceEvents([verifyWebhook(signed(fixture(name)))], context);

  it('covers every v4 fixture file', () => {
    expect(v4.sort()).toEqual([
      'transaction.party.notification.status.sent.json',
      'transaction.recipient.payment.status.approvals.complete.json',
    ]);
  });

  it('party notification sent with party_id "" counts for the recipient', () => {
    const state = apply('transaction.party.notification.status.sent.json');
    expect(state.status).toBe('notified');
    expect(state.parties[recipient]).toMatchObject({ role: 'recipient', notified: true });
  });

  it('approvals.complete opens the gate: the approvals hold released; approved once the recipient has claimed', () => {
    const event = verifyWebhook(signed(fixture('transaction.recipient.payment.status.approvals.complete.json')));
    const alone = reduceEvents([event], context);
    expect(alone).toMatchObject({ status: 'pending', onHold: false, holds: { approvals: 'released' } });
    expect(alone.appliedEventIds).toEqual(['58055990-7981-43c5-8326-3e18a0e640f4']);
    const claimed = reduceEvents([event, ingoEvent({ topic: CATALOG_TOPICS.tokenizationSuccess })], context);
    expect(claimed.status).toBe('approved');
    // Without the parties (a classic reading), approvals.complete is Ingo's approval itself.
    expect(reduceEvents([event]).status).toBe('approved');
  });
});
