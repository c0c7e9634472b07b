import { describe, expect, it } from 'vitest';
import { ingoPayload } from '../../test/support/ingo-event-factory.js';
import { verifyPayload } from '../../test/support/signed-webhooks.js';
import { CATALOG_TOPICS, type CanonicalTopic, type KnownTopic, QUICKSTART_TOPICS } from '../topics/catalog.js';
import { TOPIC_INFO } from '../topics/topic-info.js';
import type { IngoWebhookEvent } from './event.js';

describe('typed details per topic family', () => {
  it('reads authentication failures: attempts, booleans in any spelling, field results, hard mismatch', () => {
    const event = verifyPayload(
      ingoPayload({
        topic: CATALOG_TOPICS.recipientAuthenticationFailure,
        event: {
          attempt_count: '3',
          max_attempts: 3,
          has_passed: 'false',
          was_skipped: '0',
          field_results: [
            { field_label: 'Last 4 SSN', is_matching: 'false', hard_fail_on_mismatch: '1' },
            { field_label: 'DOB', is_matching: true, hard_fail_on_mismatch: 0 },
          ],
        },
      }),
    );
    expect(event.kind).toBe('authentication');
    expect(event.details).toEqual({
      audience: 'recipient',
      outcome: 'failure',
      attemptCount: 3,
      maxAttempts: 3,
      hasPassed: false,
      wasSkipped: false,
      fieldResults: [
        { fieldLabel: 'Last 4 SSN', isMatching: false, hardFailOnMismatch: true },
        { fieldLabel: 'DOB', isMatching: true, hardFailOnMismatch: false },
      ],
      hardMismatch: true,
    });
  });

  it('reads booleans "true", "1", 1 and true as true', () => {
    for (const value of ['true', '1', 1, true, 'TRUE']) {
      const event = verifyPayload(
        ingoPayload({ topic: CATALOG_TOPICS.partyDynamicValidationSuccess, event: { has_passed: value } }),
      );
      expect(event.kind === 'authentication' && event.details.hasPassed).toBe(true);
    }
  });

  it('reads tokenization: token, account type, account id, issuers', () => {
    const event = verifyPayload(
      ingoPayload({
        topic: CATALOG_TOPICS.tokenizationSuccess,
        event: {
          customer_account_token: 'tok_abc',
          account_type: 'CA',
          account_id: 123456789,
          issuers: ['VISA', { name: 'Chase', id: 7 }],
        },
      }),
    );
    expect(event.details).toEqual({
      customerAccountToken: 'tok_abc',
      accountType: 'CA',
      accountId: '123456789',
      issuers: ['VISA', { name: 'Chase', id: 7 }],
    });
  });

  it('reads check cancellations with their reason code', () => {
    const event = verifyPayload(
      ingoPayload({ topic: CATALOG_TOPICS.checkCanceled, event: { reason_code: 75, check_number: 1234 } }),
    );
    expect(event.details).toEqual({
      step: 'canceled',
      checkNumber: '1234',
      checkAmount: undefined,
      reasonCode: '75',
      reasonDescription: 'client request',
    });
  });

  it('reads RVDM soft failures, OTAC steps, approvals, disbursement outcomes', () => {
    const soft = verifyPayload(ingoPayload({ topic: CATALOG_TOPICS.rvdmSuccess, event: { status: '1104' } }));
    expect(soft.details).toEqual({ check: 'rvdm', outcome: 'success', softFailure: true });
    const ofac = verifyPayload(ingoPayload({ topic: CATALOG_TOPICS.ofacSuspended }));
    expect(ofac.details).toEqual({ check: 'ofac', outcome: 'suspended', softFailure: false });
    const otac = verifyPayload(
      ingoPayload({ topic: CATALOG_TOPICS.partyOtacValidationFailure, event: { attempt_count: 2 } }),
    );
    expect(otac.details).toEqual({ step: 'validation_failure', attemptCount: 2, maxAttempts: undefined });
    const declined = verifyPayload(ingoPayload({ topic: CATALOG_TOPICS.approvalsDecisionDeclined, partyId: 'p-2' }));
    expect(declined.details).toEqual({ step: 'declined' });
    expect(declined.partyId).toBe('p-2');
    const expired = verifyPayload(ingoPayload({ topic: CATALOG_TOPICS.disbursementExpired }));
    expect(expired.details).toEqual({ outcome: 'expired', reasonCode: undefined });
  });

  it('reads account verification topics, including unnamed ACH/AVS variants', () => {
    const card = verifyPayload(
      ingoPayload({ topic: CATALOG_TOPICS.cardVerificationFailureCnsCd, event: { attempt_count: 1, max_attempts: 3 } }),
    );
    expect(card.details).toEqual({
      method: 'card',
      outcome: 'failure',
      reason: 'cns_cd',
      attemptCount: 1,
      maxAttempts: 3,
    });
    const ach = verifyPayload(ingoPayload({ topic: 'transaction.account.verification.ach.success.avs' }));
    expect(ach.kind).toBe('account_verification');
    expect(ach.dialect).toBe('catalog');
    expect(ach.details).toMatchObject({ method: 'ach', outcome: 'success', reason: 'avs' });
  });

  it('normalizes every topic of both dialects to its family with the sandbox’s payload', () => {
    for (const [topic, info] of Object.entries(TOPIC_INFO)) {
      const event = verifyPayload(ingoPayload({ topic }));
      expect(event.kind, topic).toBe(info.kind);
      expect(event.dialect, topic).not.toBe('unknown');
      expect(event.statusCode, topic).toBe(info.statusCode);
      expect(event.version, topic).toBe(info.version);
      expect(event.details, topic).toBeTypeOf('object');
      expect(event.details, topic).not.toHaveProperty('status');
    }
  });
});

const C = CATALOG_TOPICS;
const Q = QUICKSTART_TOPICS;

type Expected = [canonical: CanonicalTopic, kind: IngoWebhookEvent['kind'], details: Record<string, unknown>];

/** Every topic of §6.1 in both dialects: the catalog name it maps to, its family and its typed details. */
const EVERY_TOPIC: Record<KnownTopic, Expected> = {
  [C.recipientNotificationSent]: [
    C.recipientNotificationSent,
    'notification',
    { audience: 'recipient', state: 'sent' },
  ],
  [C.recipientNotificationReceived]: [
    C.recipientNotificationReceived,
    'notification',
    { audience: 'recipient', state: 'received' },
  ],
  [C.recipientNotificationBounced]: [
    C.recipientNotificationBounced,
    'notification',
    { audience: 'recipient', state: 'bounced' },
  ],
  [C.partyNotificationSent]: [C.partyNotificationSent, 'notification', { audience: 'party', state: 'sent' }],
  [C.partyNotificationReceived]: [
    C.partyNotificationReceived,
    'notification',
    { audience: 'party', state: 'received' },
  ],
  [C.partyNotificationBounced]: [C.partyNotificationBounced, 'notification', { audience: 'party', state: 'bounced' }],
  [C.recipientAuthenticationSuccess]: [
    C.recipientAuthenticationSuccess,
    'authentication',
    { audience: 'recipient', outcome: 'success' },
  ],
  [C.recipientAuthenticationFailure]: [
    C.recipientAuthenticationFailure,
    'authentication',
    { audience: 'recipient', outcome: 'failure' },
  ],
  [C.partyDynamicValidationSuccess]: [
    C.partyDynamicValidationSuccess,
    'authentication',
    { audience: 'party', outcome: 'success' },
  ],
  [C.partyDynamicValidationFailure]: [
    C.partyDynamicValidationFailure,
    'authentication',
    { audience: 'party', outcome: 'failure' },
  ],
  [C.partyOtacDeliveryGenerate]: [C.partyOtacDeliveryGenerate, 'otac', { step: 'delivery_generated' }],
  [C.partyOtacDeliveryLimit]: [C.partyOtacDeliveryLimit, 'otac', { step: 'delivery_limit' }],
  [C.partyOtacValidationSuccess]: [C.partyOtacValidationSuccess, 'otac', { step: 'validation_success' }],
  [C.partyOtacValidationFailure]: [C.partyOtacValidationFailure, 'otac', { step: 'validation_failure' }],
  [C.rvdmSuccess]: [C.rvdmSuccess, 'verification', { check: 'rvdm', outcome: 'success', softFailure: false }],
  [C.rvdmFailure]: [C.rvdmFailure, 'verification', { check: 'rvdm', outcome: 'failure' }],
  [C.ofacSuspended]: [C.ofacSuspended, 'verification', { check: 'ofac', outcome: 'suspended' }],
  [C.ofacCleared]: [C.ofacCleared, 'verification', { check: 'ofac', outcome: 'cleared' }],
  [C.ofacFailure]: [C.ofacFailure, 'verification', { check: 'ofac', outcome: 'failure' }],
  [C.cardVerificationFailureCnsCd]: [
    C.cardVerificationFailureCnsCd,
    'account_verification',
    { method: 'card', outcome: 'failure', reason: 'cns_cd' },
  ],
  [C.paypalVerificationSuccessAv]: [
    C.paypalVerificationSuccessAv,
    'account_verification',
    { method: 'paypal', outcome: 'success', reason: 'av' },
  ],
  [C.tokenizationSuccess]: [C.tokenizationSuccess, 'tokenization', { accountType: undefined, issuers: [] }],
  [C.approvalsPaymentSuspended]: [C.approvalsPaymentSuspended, 'approval', { step: 'payment_suspended' }],
  [C.approvalsDecisionApproved]: [C.approvalsDecisionApproved, 'approval', { step: 'approved' }],
  [C.approvalsDecisionDeclined]: [C.approvalsDecisionDeclined, 'approval', { step: 'declined' }],
  [C.approvalsComplete]: [C.approvalsComplete, 'approval', { step: 'complete' }],
  [C.paymentSuccess]: [C.paymentSuccess, 'payment', { outcome: 'success' }],
  [C.paymentTerminated]: [C.paymentTerminated, 'payment', { outcome: 'terminated' }],
  [C.paymentFailure]: [C.paymentFailure, 'payment', { outcome: 'failure' }],
  [C.paymentReturned]: [C.paymentReturned, 'payment', { outcome: 'returned' }],
  [C.checkChosen]: [C.checkChosen, 'check', { step: 'chosen' }],
  [C.checkIssued]: [C.checkIssued, 'check', { step: 'issued' }],
  [C.checkPaid]: [C.checkPaid, 'check', { step: 'paid' }],
  [C.checkCanceled]: [C.checkCanceled, 'check', { step: 'canceled' }],
  [C.checkStopped]: [C.checkStopped, 'check', { step: 'stopped' }],
  [C.checkReturned]: [C.checkReturned, 'check', { step: 'returned' }],
  [C.disbursementExpired]: [C.disbursementExpired, 'disbursement', { outcome: 'expired' }],
  [C.disbursementCanceled]: [C.disbursementCanceled, 'disbursement', { outcome: 'canceled' }],
  [Q.notificationSent]: [C.recipientNotificationSent, 'notification', { audience: 'recipient', state: 'sent' }],
  [Q.authenticationComplete]: [
    C.recipientAuthenticationSuccess,
    'authentication',
    { audience: 'recipient', outcome: 'success' },
  ],
  [Q.tokenizationComplete]: [C.tokenizationSuccess, 'tokenization', { accountType: undefined, issuers: [] }],
  [Q.paymentApproved]: [Q.paymentApproved, 'payment', { outcome: 'approved' }],
  [Q.paymentFunded]: [C.paymentSuccess, 'payment', { outcome: 'success' }],
};

describe('every topic of §6.1, in both dialects, with and without the gateway. prefix', () => {
  it('the table covers every known topic', () => {
    expect(Object.keys(EVERY_TOPIC).sort()).toEqual(Object.keys(TOPIC_INFO).sort());
  });

  for (const [topic, [canonical, kind, details]] of Object.entries(EVERY_TOPIC)) {
    it(topic, () => {
      const dialect = (Object.values(QUICKSTART_TOPICS) as string[]).includes(topic) ? 'quickstart' : 'catalog';
      for (const received of [topic, `gateway.${topic}`]) {
        const event = verifyPayload(ingoPayload({ topic: received }));
        expect(event.topic).toBe(received);
        expect(event.canonicalTopic).toBe(canonical);
        expect(event.dialect).toBe(dialect);
        expect(event.kind).toBe(kind);
        expect(event.details).toMatchObject(details);
      }
    });
  }
});
