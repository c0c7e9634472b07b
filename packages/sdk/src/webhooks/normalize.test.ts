import { describe, expect, it } from 'vitest';
import { ingoPayload } from '../../test/support/ingo-event-factory.js';
import { at, failure, signed, successPayload, verifyPayload } from '../../test/support/signed-webhooks.js';
import { fields, fixture, fixtureExpectations } from '../../test/support/webhook-fixtures.js';
import { CATALOG_TOPICS, type KnownTopic, QUICKSTART_TOPICS } from '../topics/catalog.js';
import { TOPIC_INFO } from '../topics/topic-info.js';
import type { IngoWebhookEvent } from './event.js';
import { parseWebhookEvent } from './normalize.js';
import { verifyWebhook } from './verify.js';

describe('type quirks of docs/ingo-contract.md §6', () => {
  it('reads a numeric data.event.status as a number', () => {
    const p = successPayload();
    at(p, ['data', 'event']).status = 1125;
    expect(verifyPayload(p).statusCode).toBe(1125);
  });

  it('reads a string status with padding and rejects non-numeric ones as undefined', () => {
    const p = successPayload();
    at(p, ['data', 'event']).status = ' 1125 ';
    expect(verifyPayload(p).statusCode).toBe(1125);
    for (const notDecimal of ['n/a', '0x465', '1.125e3', '1125.5', '']) {
      at(p, ['data', 'event']).status = notDecimal;
      expect(verifyPayload(p).statusCode, notDecimal).toBeUndefined();
    }
  });

  it('turns a numeric notification_id into a string', () => {
    const p = successPayload();
    at(p, ['data', 'ancillary']).notification_id = 1000001;
    const event = verifyPayload(p);
    expect(event.notificationId).toBe('1000001');
    expect(typeof event.notificationId).toBe('string');
  });

  it('turns a numeric participant_unique_id2 (and id1) into strings', () => {
    const p = successPayload();
    at(p, ['data', 'ancillary']).participant_unique_id2 = 4455667788;
    at(p, ['data', 'ancillary']).participant_unique_id1 = 42;
    const event = verifyPayload(p);
    expect(event.participantUniqueId2).toBe('4455667788');
    expect(event.participantUniqueId1).toBe('42');
  });

  it('parses by name whatever the key order', () => {
    const p = successPayload();
    const reversed = (o: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(o)
          .reverse()
          .map(([k, v]) => [
            k,
            typeof v === 'object' && v !== null && !Array.isArray(v) ? reversed(v as Record<string, unknown>) : v,
          ]),
      );
    const a = verifyPayload(p);
    const b = verifyPayload(reversed(p));
    expect(Object.keys(b.raw)).toEqual(['metadata', 'data']);
    expect(fields(b)).toEqual(fields(a));
  });

  it('strips the legacy gateway. prefix for canonicalTopic and keeps the received topic', () => {
    const p = successPayload();
    at(p, ['metadata']).topic = 'gateway.transaction.recipient.payment.status.success';
    const event = verifyPayload(p);
    expect(event.topic).toBe('gateway.transaction.recipient.payment.status.success');
    expect(event.canonicalTopic).toBe('transaction.recipient.payment.status.success');
    expect(event.dialect).toBe('catalog');
    expect(event.kind).toBe('payment');
  });

  it('maps the quick-start names (also with gateway.) to their catalog equivalents', () => {
    const cases: [string, string, IngoWebhookEvent['kind']][] = [
      [QUICKSTART_TOPICS.notificationSent, CATALOG_TOPICS.recipientNotificationSent, 'notification'],
      [QUICKSTART_TOPICS.authenticationComplete, CATALOG_TOPICS.recipientAuthenticationSuccess, 'authentication'],
      [QUICKSTART_TOPICS.tokenizationComplete, CATALOG_TOPICS.tokenizationSuccess, 'tokenization'],
      [QUICKSTART_TOPICS.paymentApproved, QUICKSTART_TOPICS.paymentApproved, 'payment'],
      [QUICKSTART_TOPICS.paymentFunded, CATALOG_TOPICS.paymentSuccess, 'payment'],
    ];
    for (const [topic, canonical, kind] of cases) {
      for (const received of [topic, `gateway.${topic}`]) {
        const event = verifyPayload(ingoPayload({ topic: received }));
        expect(event.topic).toBe(received);
        expect(event.canonicalTopic).toBe(canonical);
        expect(event.dialect).toBe('quickstart');
        expect(event.kind).toBe(kind);
      }
    }
    const funded = verifyPayload(ingoPayload({ topic: QUICKSTART_TOPICS.paymentFunded }));
    expect(funded.kind === 'payment' && funded.details.outcome).toBe('success');
    const approved = verifyPayload(ingoPayload({ topic: QUICKSTART_TOPICS.paymentApproved }));
    expect(approved.kind === 'payment' && approved.details.outcome).toBe('approved');
  });

  it('accepts an unknown topic as kind "unknown" with the event fields as details', () => {
    const event = verifyPayload(
      ingoPayload({ topic: 'transaction.recipient.wallet.status.frozen', event: { freeze_reason: 'x' } }),
    );
    expect(event.kind).toBe('unknown');
    expect(event.dialect).toBe('unknown');
    expect(event.canonicalTopic).toBe('transaction.recipient.wallet.status.frozen');
    expect(event.details).toMatchObject({ freeze_reason: 'x' });
  });

  it('keeps unknown fields in raw without complaint', () => {
    const p = successPayload();
    p.extra_top = { nested: [1, 2] };
    at(p, ['metadata']).retry = 3;
    at(p, ['data', 'ancillary']).new_ancillary = 'a';
    at(p, ['data', 'event']).brand_new_field = { deep: true };
    const event = verifyPayload(p);
    expect(event.raw).toEqual(p);
    expect(event.kind).toBe('payment');
    expect(event.statusCode).toBe(1125);
  });

  it('accepts non-UUID and numeric metadata.id, always as a string', () => {
    const p = successPayload();
    at(p, ['metadata']).id = 'evt_2024-07-01#7';
    expect(verifyPayload(p).id).toBe('evt_2024-07-01#7');
    at(p, ['metadata']).id = 987654321;
    expect(verifyPayload(p).id).toBe('987654321');
  });

  it('gives partyId undefined when party_id is missing or empty, and the id when present', () => {
    const p = successPayload();
    expect(verifyPayload(p).partyId).toBeUndefined();
    at(p, ['data', 'ancillary']).party_id = '';
    expect(verifyPayload(p).partyId).toBeUndefined();
    at(p, ['data', 'ancillary']).party_id = 'a7c4758b-4618-4893-a539-61a6b9aa4889';
    expect(verifyPayload(p).partyId).toBe('a7c4758b-4618-4893-a539-61a6b9aa4889');
  });

  it('tolerates a missing ancillary and event', () => {
    const event = verifyPayload({ metadata: { id: 'x', topic: CATALOG_TOPICS.paymentSuccess }, data: {} });
    expect(event.notificationId).toBe('');
    expect(event.participantUniqueId1).toBe('');
    expect(event.statusCode).toBeUndefined();
    expect(event.occurredAt).toBeUndefined();
    expect(event.version).toBeUndefined();
  });

  it('reads a timestamp sent as a string, and a millisecond timestamp', () => {
    const p = successPayload();
    at(p, ['metadata']).timestamp = '1752164133';
    expect(verifyPayload(p).occurredAt).toEqual(new Date(1752164133000));
    at(p, ['metadata']).timestamp = 1752164133123;
    expect(verifyPayload(p).occurredAt).toEqual(new Date(1752164133123));
    at(p, ['metadata']).timestamp = 'soon';
    expect(verifyPayload(p).occurredAt).toBeUndefined();
  });
});

describe('envelope checks', () => {
  const cases: [string, unknown][] = [
    ['an array', [1, 2]],
    ['a string', 'hello'],
    ['no metadata', { data: {} }],
    ['metadata not an object', { metadata: 'm', data: {} }],
    ['no metadata.id', { metadata: { topic: 't' }, data: {} }],
    ['empty metadata.id', { metadata: { id: '', topic: 't' }, data: {} }],
    ['metadata.id an object', { metadata: { id: { a: 1 }, topic: 't' }, data: {} }],
    ['no metadata.topic', { metadata: { id: '1' }, data: {} }],
    ['numeric metadata.topic', { metadata: { id: '1', topic: 5 }, data: {} }],
    ['no data', { metadata: { id: '1', topic: 't' } }],
    ['data an array', { metadata: { id: '1', topic: 't' }, data: [] }],
  ];
  for (const [label, payload] of cases) {
    it(`rejects a signed body with ${label} as ERR_WEBHOOK_NOT_AN_ENVELOPE`, () => {
      const error = failure(() => verifyPayload(payload));
      expect(error.code).toBe('ERR_WEBHOOK_NOT_AN_ENVELOPE');
      expect(error.message).toMatch(/not an Ingo event envelope/);
    });
  }

  it('rejects a correctly signed body that is not JSON as ERR_WEBHOOK_MALFORMED_JSON', () => {
    expect(failure(() => verifyWebhook(signed('{"metadata":'))).code).toBe('ERR_WEBHOOK_MALFORMED_JSON');
    const empty = failure(() => verifyWebhook(signed('')));
    expect(empty.code).toBe('ERR_WEBHOOK_MALFORMED_JSON');
    expect(empty.message).toContain('empty');
  });
});

describe('parseWebhookEvent (no signature check)', () => {
  const text = fixture('transaction.recipient.payment.status.approvals.complete.json');

  it('normalizes a raw string, raw bytes and an already-parsed object identically', () => {
    const expected = fixtureExpectations['transaction.recipient.payment.status.approvals.complete.json'];
    expect(fields(parseWebhookEvent(text))).toEqual(expected);
    expect(fields(parseWebhookEvent(Buffer.from(text)))).toEqual(expected);
    expect(fields(parseWebhookEvent(new Uint8Array(Buffer.from(text)).buffer))).toEqual(expected);
    expect(fields(parseWebhookEvent(JSON.parse(text)))).toEqual(expected);
  });

  it('applies the same envelope and JSON checks', () => {
    expect(failure(() => parseWebhookEvent('{')).code).toBe('ERR_WEBHOOK_MALFORMED_JSON');
    expect(failure(() => parseWebhookEvent({ metadata: {} })).code).toBe('ERR_WEBHOOK_NOT_AN_ENVELOPE');
    expect(failure(() => parseWebhookEvent(null)).code).toBe('ERR_WEBHOOK_NOT_AN_ENVELOPE');
  });

  it('builds payloads with the metadata of every known topic', () => {
    for (const topic of Object.keys(TOPIC_INFO) as KnownTopic[]) {
      expect(parseWebhookEvent(ingoPayload({ topic })).topicDescription).toBe(TOPIC_INFO[topic].description);
    }
  });
});
