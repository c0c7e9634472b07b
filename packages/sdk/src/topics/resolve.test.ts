import { describe, expect, it } from 'vitest';
import { CATALOG_TOPIC_NAMES, CATALOG_TOPICS, QUICKSTART_TOPICS } from './catalog.js';
import { canonicalTopic, isKnownTopic, resolveTopic } from './resolve.js';

describe('canonicalTopic', () => {
  it('maps the quick-start names to the catalog', () => {
    expect(canonicalTopic('transaction.recipient.notification.sent')).toBe(
      'transaction.recipient.notification.status.sent',
    );
    expect(canonicalTopic('transaction.recipient.authentication.complete')).toBe(
      'transaction.recipient.authentication.status.success',
    );
    expect(canonicalTopic('transaction.recipient.payment.tokenization.complete')).toBe(
      'transaction.account.tokenization.success',
    );
    expect(canonicalTopic('transaction.recipient.payment.status.funded')).toBe(
      'transaction.recipient.payment.status.success',
    );
    expect(canonicalTopic('transaction.recipient.payment.status.approved')).toBe(
      'transaction.recipient.payment.status.approved',
    );
  });

  it('strips the legacy gateway. prefix, surrounding whitespace and case', () => {
    expect(canonicalTopic('gateway.transaction.recipient.payment.status.check.paid')).toBe(CATALOG_TOPICS.checkPaid);
    expect(canonicalTopic('gateway.transaction.recipient.notification.sent')).toBe(
      CATALOG_TOPICS.recipientNotificationSent,
    );
    expect(canonicalTopic(' Transaction.Recipient.Payment.Status.Success ')).toBe(CATALOG_TOPICS.paymentSuccess);
  });

  it('keeps catalog names and unknown names (minus gateway.)', () => {
    for (const name of CATALOG_TOPIC_NAMES) expect(canonicalTopic(name)).toBe(name);
    expect(canonicalTopic('gateway.something.new')).toBe('something.new');
    expect(canonicalTopic('something.new')).toBe('something.new');
  });

  it('resolves dialect and family', () => {
    expect(resolveTopic(QUICKSTART_TOPICS.paymentFunded)).toMatchObject({ dialect: 'quickstart', kind: 'payment' });
    expect(resolveTopic(CATALOG_TOPICS.partyOtacDeliveryGenerate)).toMatchObject({ dialect: 'catalog', kind: 'otac' });
    expect(resolveTopic('transaction.account.verification.ach.failure.avs')).toMatchObject({
      dialect: 'catalog',
      kind: 'account_verification',
      info: undefined,
    });
    expect(resolveTopic('transaction.account.verification.')).toMatchObject({ kind: 'unknown' });
    expect(resolveTopic('x.y')).toMatchObject({ dialect: 'unknown', kind: 'unknown', topic: 'x.y' });
    expect(isKnownTopic('gateway.transaction.recipient.authentication.complete')).toBe(true);
    expect(isKnownTopic('transaction.recipient.something')).toBe(false);
  });
});
