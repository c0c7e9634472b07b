import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LifecycleContext } from '../src/lifecycle/events.js';
import { reduceEvents } from '../src/lifecycle/reducer.js';
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

  it('approvals.complete opens the gate: approved, the approvals hold released', () => {
    const state = apply('transaction.recipient.payment.status.approvals.complete.json');
    expect(state).toMatchObject({ status: 'approved', onHold: false, holds: { approvals: 'released' } });
    expect(state.appliedEventIds).toEqual(['58055990-7981-43c5-8326-3e18a0e640f4']);
  });
});
