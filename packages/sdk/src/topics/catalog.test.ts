import { describe, expect, it } from 'vitest';
import {
  CATALOG_TOPIC_FOR,
  CATALOG_TOPIC_NAMES,
  CATALOG_TOPICS,
  QUICKSTART_TOPIC_FOR,
  QUICKSTART_TOPIC_NAMES,
  QUICKSTART_TOPICS,
  topicInDialect,
} from './catalog.js';
import { canonicalTopic } from './resolve.js';
import { TOPIC_INFO } from './topic-info.js';

describe('topic catalog', () => {
  it('has the five quick-start names and the full §6.1 catalog', () => {
    expect(QUICKSTART_TOPIC_NAMES).toHaveLength(5);
    expect(CATALOG_TOPIC_NAMES).toHaveLength(38);
    expect(new Set(CATALOG_TOPIC_NAMES).size).toBe(CATALOG_TOPIC_NAMES.length);
    for (const name of [
      'transaction.party.notification.status.bounced',
      'transaction.party.authentication.otac.delivery.limit',
      'transaction.recipient.verification.ofac.status.failure',
      'transaction.account.verification.paypal.success.av',
      'transaction.recipient.payment.status.approvals.pmt-suspended',
      'transaction.recipient.payment.status.check.stopped',
      'transaction.recipient.payment.status.failure',
      'transaction.recipient.payment.status.returned',
      'transaction.recipient.disbursement.status.expired',
      'transaction.recipient.disbursement.status.canceled',
    ]) {
      expect(CATALOG_TOPIC_NAMES).toContain(name);
    }
  });

  it('has metadata for every topic of both dialects, marking notifykit’s own codes', () => {
    const all = [...CATALOG_TOPIC_NAMES, ...QUICKSTART_TOPIC_NAMES];
    expect(Object.keys(TOPIC_INFO).sort()).toEqual([...all].sort());
    expect(TOPIC_INFO[CATALOG_TOPICS.recipientNotificationBounced]).toMatchObject({
      statusCode: 1204,
      clientMessage: 'IIP-003-EMAIL: NOTIFICATION TIMEOUT',
      codeSource: 'ingo',
    });
    expect(TOPIC_INFO[CATALOG_TOPICS.paymentSuccess]).toMatchObject({ statusCode: 1125, version: '3' });
    expect(TOPIC_INFO[CATALOG_TOPICS.approvalsComplete]).toMatchObject({
      statusCode: 1171,
      clientMessage: 'Approvals - Complete',
    });
    expect(TOPIC_INFO[CATALOG_TOPICS.paymentFailure].codeSource).toBe('decision');
  });

  it('uses the texts and versions Ingo’s pages show (docs/ingo-contract.md §6.1)', () => {
    expect(TOPIC_INFO[CATALOG_TOPICS.paymentTerminated]).toMatchObject({
      statusCode: 1113,
      clientMessage: 'Disbursement / Payment has been terminated',
      codeSource: 'ingo',
    });
    expect(TOPIC_INFO[CATALOG_TOPICS.rvdmSuccess]).toMatchObject({
      statusCode: 1103,
      clientMessage: 'Address on file verified by customer',
    });
    expect(TOPIC_INFO[CATALOG_TOPICS.approvalsDecisionApproved]).toMatchObject({
      statusCode: 1123,
      clientMessage: 'Approver - Payment Authorized',
    });
    expect(TOPIC_INFO[CATALOG_TOPICS.approvalsDecisionDeclined]).toMatchObject({
      statusCode: 1124,
      clientMessage: 'Approver - Payment Not Authorized',
    });
    // Tokenization events carry metadata.version "4", in both dialects.
    expect(TOPIC_INFO[CATALOG_TOPICS.tokenizationSuccess].version).toBe('4');
    expect(TOPIC_INFO[QUICKSTART_TOPICS.tokenizationComplete].version).toBe('4');
  });
});

describe('dialect tables', () => {
  it('round-trips between quick-start and catalog names', () => {
    for (const quick of QUICKSTART_TOPIC_NAMES) {
      const catalog = CATALOG_TOPIC_FOR[quick];
      expect(canonicalTopic(quick)).toBe(catalog);
      if (catalog !== QUICKSTART_TOPICS.paymentApproved) {
        expect(QUICKSTART_TOPIC_FOR[catalog]).toBe(quick);
      }
    }
    expect(Object.keys(QUICKSTART_TOPIC_FOR)).toHaveLength(4);
  });

  it('names a topic in the requested dialect', () => {
    expect(topicInDialect(CATALOG_TOPICS.paymentSuccess, 'quickstart')).toBe(QUICKSTART_TOPICS.paymentFunded);
    expect(topicInDialect(CATALOG_TOPICS.paymentSuccess, 'catalog')).toBe(CATALOG_TOPICS.paymentSuccess);
    expect(topicInDialect(CATALOG_TOPICS.recipientNotificationBounced, 'quickstart')).toBe(
      CATALOG_TOPICS.recipientNotificationBounced,
    );
    expect(topicInDialect(QUICKSTART_TOPICS.paymentApproved, 'quickstart')).toBe(QUICKSTART_TOPICS.paymentApproved);
  });

  it('has no catalog name for the quick-start approved, and a catalog name for every other topic', () => {
    expect(topicInDialect(QUICKSTART_TOPICS.paymentApproved, 'catalog')).toBeUndefined();
    for (const catalog of CATALOG_TOPIC_NAMES) expect(topicInDialect(catalog, 'catalog')).toBe(catalog);
  });
});
