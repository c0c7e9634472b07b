import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, WebhookVerificationError } from '../src/errors.js';
import { CATALOG_TOPICS, type CanonicalTopic, type KnownTopic, QUICKSTART_TOPICS } from '../src/topics/catalog.js';
import { TOPIC_INFO } from '../src/topics/topic-info.js';
import {
  assertWebhookSecrets,
  type IngoWebhookEvent,
  parseWebhookEvent,
  signWebhook,
  type VerifyWebhookInput,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
} from '../src/webhooks.js';
import { ingoPayload } from './ingo-event-factory.js';

const SECRET = 'whsec_test_5f1e2d3c4b5a69788796a5b4c3d2e1f0';
const FIXTURES = fileURLToPath(new URL('./fixtures/webhooks/', import.meta.url));

function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

function signed(body: string | Uint8Array, secret = SECRET): VerifyWebhookInput {
  return { rawBody: body, headers: { [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, secret) }, secrets: secret };
}

function failure(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

/** Everything but `raw`, for comparing normalized events. */
function fields(event: IngoWebhookEvent): Omit<IngoWebhookEvent, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}

const fixtureExpectations: Record<string, Omit<IngoWebhookEvent, 'raw'>> = {
  'transaction.party.notification.status.sent.json': {
    source: 'ingo',
    id: '6952775d-62d8-4947-8c43-bd17ea856f30',
    topic: 'transaction.party.notification.status.sent',
    canonicalTopic: 'transaction.party.notification.status.sent',
    dialect: 'catalog',
    occurredAt: new Date(1777491826 * 1000),
    version: '1',
    topicDescription: 'This event indicates that the notification was sent.',
    notificationId: '1000001',
    participantUniqueId1: 'LCTEST20260429-2',
    participantUniqueId2: '',
    partyId: undefined,
    sessionId: '00000000-0000-0000-0000-000000000001',
    statusCode: 1204,
    clientMessage: 'IIP-003-EMAIL: NOTIFICATION TIMEOUT',
    kind: 'notification',
    details: { audience: 'party', state: 'sent' },
  },
  'transaction.recipient.notification.status.bounced.json': {
    source: 'ingo',
    id: 'prod1-123456-abcd-1234-ab12-c123d456e789',
    topic: 'transaction.recipient.notification.status.bounced',
    canonicalTopic: 'transaction.recipient.notification.status.bounced',
    dialect: 'catalog',
    occurredAt: new Date(1752066064 * 1000),
    version: '1',
    topicDescription: 'This event reports a recipient notification as being bounced',
    notificationId: '1000001',
    participantUniqueId1: '22222222-5555-3333333-4444444444',
    participantUniqueId2: '111111111-2222-3333333-4444444444',
    partyId: undefined,
    sessionId: '00000000-0000-0000-0000-000000000001',
    statusCode: 1204,
    clientMessage: 'IIP-003-EMAIL: NOTIFICATION TIMEOUT',
    kind: 'notification',
    details: { audience: 'recipient', state: 'bounced' },
  },
  'transaction.recipient.payment.status.approvals.complete.json': {
    source: 'ingo',
    id: '58055990-7981-43c5-8326-3e18a0e640f4',
    topic: 'transaction.recipient.payment.status.approvals.complete',
    canonicalTopic: 'transaction.recipient.payment.status.approvals.complete',
    dialect: 'catalog',
    occurredAt: new Date(1776455224 * 1000),
    version: '1',
    topicDescription: 'This event reports that all of the transaction\u2019s required approval(s) have been received.',
    notificationId: '1000001',
    participantUniqueId1: 'PARTNER-REF-001',
    participantUniqueId2: '',
    partyId: 'a7c4758b-4618-4893-a539-61a6b9aa4889',
    sessionId: '00000000-0000-0000-0000-000000000001',
    statusCode: 1171,
    clientMessage: 'Approvals - Complete',
    kind: 'approval',
    details: { step: 'complete' },
  },
  'transaction.recipient.payment.status.check.issued.json': {
    source: 'ingo',
    id: 'prod1-123456-abcd-1234-ab12-c123d456e789',
    topic: 'transaction.recipient.payment.status.check.issued',
    canonicalTopic: 'transaction.recipient.payment.status.check.issued',
    dialect: 'catalog',
    occurredAt: new Date(1752066145 * 1000),
    version: '1',
    topicDescription: 'This event indicates that the check transaction status has been updated to check issued',
    notificationId: '1000001',
    participantUniqueId1: '22222222-5555-3333333-4444444444',
    participantUniqueId2: '111111111-2222-3333333-4444444444',
    partyId: undefined,
    sessionId: undefined,
    statusCode: 100,
    clientMessage: 'Success',
    kind: 'check',
    details: {
      step: 'issued',
      checkNumber: '1010101010',
      checkAmount: '500.00',
      reasonCode: undefined,
      reasonDescription: undefined,
    },
  },
  'transaction.recipient.payment.status.success.json': {
    source: 'ingo',
    id: 'prod1-123456-abcd-1234-ab12-c123d456e789',
    topic: 'transaction.recipient.payment.status.success',
    canonicalTopic: 'transaction.recipient.payment.status.success',
    dialect: 'catalog',
    occurredAt: new Date(1752164133 * 1000),
    version: '3',
    topicDescription: 'This event reports that the payment to the customer was completed. (Terminal)',
    notificationId: '1000001',
    participantUniqueId1: '22222222-5555-3333333-4444444444',
    participantUniqueId2: '111111111-2222-3333333-4444444444',
    partyId: undefined,
    sessionId: undefined,
    statusCode: 1125,
    clientMessage: 'Success',
    kind: 'payment',
    details: { outcome: 'success', accountId: '123456789', reasonCode: undefined },
  },
};

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

function body(payload: unknown): string {
  return JSON.stringify(payload);
}

function verifyPayload(payload: unknown): IngoWebhookEvent {
  return verifyWebhook(signed(body(payload)));
}

const successPayload = (): Record<string, unknown> =>
  JSON.parse(fixture('transaction.recipient.payment.status.success.json')) as Record<string, unknown>;

function at(payload: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node: Record<string, unknown> = payload;
  for (const key of path) node = node[key] as Record<string, unknown>;
  return node;
}

describe('type quirks of ingo-api.md §6', () => {
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

describe('signWebhook', () => {
  const text = fixture('transaction.recipient.payment.status.success.json');

  it('defaults to base64 HMAC-SHA512 over the raw bytes', () => {
    const expected = createHmac('sha512', SECRET).update(Buffer.from(text, 'utf8')).digest('base64');
    expect(signWebhook(text, SECRET)).toBe(expected);
    expect(signWebhook(Buffer.from(text), SECRET)).toBe(expected);
    expect(expected).toHaveLength(88);
  });

  it('supports sha256 and hex', () => {
    expect(signWebhook(text, SECRET, { algorithm: 'sha256' })).toBe(
      createHmac('sha256', SECRET).update(text).digest('base64'),
    );
    expect(signWebhook(text, SECRET, { algorithm: 'sha256', encoding: 'hex' })).toBe(
      createHmac('sha256', SECRET).update(text).digest('hex'),
    );
    expect(signWebhook(text, SECRET, { encoding: 'hex' })).toMatch(/^[0-9a-f]{128}$/);
  });

  it('signs only the bytes of a Uint8Array view, not its whole buffer', () => {
    const whole = Buffer.from(`xxxx${text}yyyy`);
    const view = whole.subarray(4, whole.length - 4);
    expect(signWebhook(view, SECRET)).toBe(signWebhook(text, SECRET));
  });

  it('refuses unknown schemes, empty and padded secrets', () => {
    expect(() => signWebhook(text, SECRET, { algorithm: 'md5' as 'sha512' })).toThrow(ConfigurationError);
    expect(() => signWebhook(text, SECRET, { encoding: 'latin1' as 'hex' })).toThrow(ConfigurationError);
    expect(() => signWebhook(text, '')).toThrow(ConfigurationError);
    const padded = (() => {
      try {
        signWebhook(text, `${SECRET}\n`);
      } catch (e) {
        return e as ConfigurationError;
      }
      return undefined;
    })();
    expect(padded?.code).toBe('ERR_WEBHOOK_SECRET_WHITESPACE');
    expect(padded?.message).not.toContain(SECRET);
    expect(() => signWebhook({ a: 1 } as unknown as string, SECRET)).toThrow(/not a parsed object/);
  });
});

describe('verifyWebhook signature checks', () => {
  const text = fixture('transaction.recipient.payment.status.success.json');
  const bytes = Buffer.from(text, 'utf8');

  it('accepts the header under any name case and in any header container', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const headers of [
      { 'X-Ingo-Signature': sig },
      { 'x-ingo-signature': [sig] },
      new Headers({ 'X-Ingo-Signature': sig }),
      new Map([['X-Ingo-Signature', sig]]),
      new Map([['x-ingo-signature', sig]]),
      { 'x-ingo-signature': `  ${sig} ` },
    ]) {
      expect(verifyWebhook({ rawBody: bytes, headers, secrets: SECRET }).kind).toBe('payment');
    }
  });

  it('accepts the body as an ArrayBuffer or a Uint8Array view', () => {
    const sig = signWebhook(bytes, SECRET);
    const arrayBuffer = new Uint8Array(bytes).buffer;
    expect(verifyWebhook({ rawBody: arrayBuffer, headers: { 'x-ingo-signature': sig }, secrets: SECRET }).kind).toBe(
      'payment',
    );
    const padded = Buffer.concat([Buffer.from('junk'), bytes, Buffer.from('junk')]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 4, bytes.byteLength);
    expect(verifyWebhook({ rawBody: view, headers: { 'x-ingo-signature': sig }, secrets: SECRET }).kind).toBe(
      'payment',
    );
  });

  it('accepts the old and the new secret during a rotation', () => {
    const oldSecret = 'whsec_old_0123456789';
    const newSecret = 'whsec_new_9876543210';
    for (const signer of [oldSecret, newSecret]) {
      const sig = signWebhook(bytes, signer);
      const event = verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sig },
        secrets: [oldSecret, newSecret],
      });
      expect(event.id).toBe('prod1-123456-abcd-1234-ab12-c123d456e789');
    }
    const other = signWebhook(bytes, 'whsec_retired_000');
    const error = failure(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': other }, secrets: [oldSecret, newSecret] }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toContain('2 configured secret(s)');
  });

  it('verifies sha256/hex when configured, hex case-insensitively, and lists of schemes', () => {
    const scheme = { algorithm: 'sha256', encoding: 'hex' } as const;
    const sig = signWebhook(bytes, SECRET, scheme);
    expect(verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET, scheme }).id).toBe(
      'prod1-123456-abcd-1234-ab12-c123d456e789',
    );
    expect(
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig.toUpperCase() }, secrets: SECRET, scheme })
        .kind,
    ).toBe('payment');
    const both = [{}, scheme];
    expect(
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET, scheme: both }).kind,
    ).toBe('payment');
    const sha512 = signWebhook(bytes, SECRET);
    expect(
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sha512 }, secrets: SECRET, scheme: both }).kind,
    ).toBe('payment');
    const sha256b64 = signWebhook(bytes, SECRET, { algorithm: 'sha256' });
    expect(
      verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sha256b64 },
        secrets: SECRET,
        scheme: { algorithm: 'sha256' },
      }).kind,
    ).toBe('payment');
  });

  it('names the likely scheme when the header is hex or SHA-256 but the default is configured', () => {
    const hex = signWebhook(bytes, SECRET, { encoding: 'hex' });
    const e1 = failure(() => verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': hex }, secrets: SECRET }));
    expect(e1.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(e1.message).toContain("encoding: 'hex'");
    const sha256 = signWebhook(bytes, SECRET, { algorithm: 'sha256' });
    const e2 = failure(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sha256 }, secrets: SECRET }),
    );
    expect(e2.message).toContain("algorithm: 'sha256'");
    // The hex scheme does not accept a base64 header of the same HMAC.
    const b64 = signWebhook(bytes, SECRET);
    expect(
      failure(() =>
        verifyWebhook({
          rawBody: bytes,
          headers: { 'x-ingo-signature': b64 },
          secrets: SECRET,
          scheme: { encoding: 'hex' },
        }),
      ).code,
    ).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('rejects a wrong secret', () => {
    const sig = signWebhook(bytes, 'whsec_someone_else');
    const error = failure(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/secret is wrong/);
  });

  it('rejects a body tampered after signing', () => {
    const sig = signWebhook(bytes, SECRET);
    const tampered = Buffer.from(text.replace('"123456789"', '"987654321"'), 'utf8');
    expect(tampered.equals(bytes)).toBe(false);
    const error = failure(() =>
      verifyWebhook({ rawBody: tampered, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
  });

  it('rejects a missing or empty X-Ingo-Signature', () => {
    for (const headers of [{}, { 'x-ingo-signature': '' }, { 'x-ingo-signature': '   ' }, { 'x-ingo-signature': [] }]) {
      const error = failure(() => verifyWebhook({ rawBody: bytes, headers, secrets: SECRET }));
      expect(error.code).toBe('ERR_WEBHOOK_NO_SIGNATURE');
      expect(error.message).toContain('X-Ingo-Signature');
    }
  });

  it('says a parsed object was passed instead of the raw body', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const rawBody of [JSON.parse(text), '[object Object]', undefined, 42]) {
      const error = failure(() =>
        verifyWebhook({ rawBody: rawBody as string, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
      );
      expect(error.code).toBe('ERR_WEBHOOK_RAW_BODY_REQUIRED');
      expect(error.message).toMatch(/raw request body/);
    }
    const parsed = failure(() =>
      verifyWebhook({ rawBody: JSON.parse(text), headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(parsed.message).toContain('got a parsed object');
  });

  it('says the body looks re-serialized when JSON.stringify(JSON.parse(raw)) is passed', () => {
    const sig = signWebhook(bytes, SECRET);
    const reserialized = JSON.stringify(JSON.parse(text));
    expect(reserialized).not.toBe(text);
    const error = failure(() =>
      verifyWebhook({ rawBody: reserialized, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/re-serialized/);
    expect(error.message).toMatch(/raw request bytes/);
  });

  it('says the body was re-serialized when the signature matches another serialization of it', () => {
    // Ingo sent compact JSON; a middleware pretty-printed it, or reordered keys before pretty-printing.
    const compact = JSON.stringify(JSON.parse(text));
    const sig = signWebhook(compact, SECRET);
    const pretty = JSON.stringify(JSON.parse(compact), null, 2);
    const error = failure(() =>
      verifyWebhook({ rawBody: pretty, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.code).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
    expect(error.message).toMatch(/was re-serialized/);
    expect(error.message).toMatch(/matches another serialization/);
  });

  it('does not claim re-serialization for a tampered pretty-printed body', () => {
    const sig = signWebhook(bytes, SECRET);
    const tampered = text.replace('1125', '1126');
    const error = failure(() =>
      verifyWebhook({ rawBody: tampered, headers: { 'x-ingo-signature': sig }, secrets: SECRET }),
    );
    expect(error.message).not.toMatch(/re-serialized/);
  });

  it('refuses a secret with stray whitespace, saying so without printing it', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const secrets of [` ${SECRET}`, `${SECRET}\n`, ['whsec_fine_value', `\t${SECRET}`]]) {
      const error = failure(() => verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets }));
      expect(error.code).toBe('ERR_WEBHOOK_SECRET_WHITESPACE');
      expect(error.message).toMatch(/leading or trailing whitespace/);
      expect(error.message).not.toContain(SECRET);
    }
    const second = failure(() =>
      verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sig },
        secrets: ['whsec_fine_value', ` ${SECRET}`],
      }),
    );
    expect(second.message).toContain('#2');
  });

  it('refuses a missing secret', () => {
    const sig = signWebhook(bytes, SECRET);
    for (const secrets of ['', [], [''], [SECRET, ''], undefined]) {
      const error = failure(() =>
        verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: secrets as string }),
      );
      expect(error.code).toBe('ERR_WEBHOOK_NO_SECRET');
    }
    expect(() => assertWebhookSecrets([SECRET, 'whsec_next'])).not.toThrow();
  });

  it('refuses unknown or empty scheme configuration', () => {
    const sig = signWebhook(bytes, SECRET);
    expect(() =>
      verifyWebhook({
        rawBody: bytes,
        headers: { 'x-ingo-signature': sig },
        secrets: SECRET,
        scheme: { algorithm: 'sha1' as 'sha256' },
      }),
    ).toThrow(ConfigurationError);
    expect(() =>
      verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': sig }, secrets: SECRET, scheme: [] }),
    ).toThrow(ConfigurationError);
  });

  it('never puts a secret or the expected signature in an error', () => {
    const secrets = ['whsec_rotation_old_AAAA', 'whsec_rotation_new_BBBB'];
    const expectedSigs = secrets.map((s) => signWebhook(bytes, s));
    const attempts: (() => unknown)[] = [
      () => verifyWebhook({ rawBody: bytes, headers: { 'x-ingo-signature': 'bogus' }, secrets }),
      () =>
        verifyWebhook({
          rawBody: JSON.stringify(JSON.parse(text)),
          headers: { 'x-ingo-signature': expectedSigs[0] },
          secrets,
        }),
      () => verifyWebhook({ rawBody: JSON.parse(text), headers: { 'x-ingo-signature': expectedSigs[0] }, secrets }),
      () => verifyWebhook({ rawBody: bytes, headers: {}, secrets }),
      () =>
        verifyWebhook({
          rawBody: bytes,
          headers: { 'x-ingo-signature': expectedSigs[0] },
          secrets: [` ${secrets[0]}`],
        }),
      () =>
        verifyWebhook({
          rawBody: 'not json',
          headers: { 'x-ingo-signature': signWebhook('not json', secrets[1]!) },
          secrets,
        }),
      () => verifyWebhook({ rawBody: '[]', headers: { 'x-ingo-signature': signWebhook('[]', secrets[1]!) }, secrets }),
      () =>
        verifyWebhook({
          rawBody: bytes,
          headers: { 'x-ingo-signature': signWebhook(bytes, secrets[0]!, { encoding: 'hex' }) },
          secrets,
        }),
    ];
    for (const attempt of attempts) {
      const error = failure(attempt);
      const rendered = `${error.message}\n${error.stack}\n${JSON.stringify(error)}\n${String(error)}`;
      for (const secret of secrets) expect(rendered).not.toContain(secret.slice(6));
      for (const sig of expectedSigs) expect(rendered).not.toContain(sig.slice(0, 16));
    }
  });

  it('property: any body signed with any secret verifies; any change to a body byte or the signature fails', () => {
    const secretArb = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0);
    fc.assert(
      fc.property(
        secretArb,
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom<{ algorithm?: 'sha512' | 'sha256'; encoding?: 'base64' | 'hex' }>(
          {},
          { algorithm: 'sha256' },
          { encoding: 'hex' },
          { algorithm: 'sha256', encoding: 'hex' },
        ),
        (secret, raw, position, flip, scheme) => {
          const payload = Buffer.from(JSON.stringify({ metadata: { id: 'e', topic: 't' }, data: { blob: [...raw] } }));
          const sig = signWebhook(payload, secret, scheme);
          expect(
            verifyWebhook({ rawBody: payload, headers: { 'x-ingo-signature': sig }, secrets: secret, scheme }).id,
          ).toBe('e');
          const changed = Buffer.from(payload);
          const i = position % changed.length;
          changed[i] = changed[i]! ^ flip;
          expect(
            failure(() =>
              verifyWebhook({ rawBody: changed, headers: { 'x-ingo-signature': sig }, secrets: secret, scheme }),
            ).code,
          ).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
          const j = position % sig.length;
          const alphabet =
            scheme.encoding === 'hex'
              ? '0123456789abcdef'
              : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
          const replacement = [...alphabet].find((c) => c !== sig[j]!.toLowerCase() && c !== sig[j])!;
          const badSig = `${sig.slice(0, j)}${replacement}${sig.slice(j + 1)}`;
          expect(
            failure(() =>
              verifyWebhook({ rawBody: payload, headers: { 'x-ingo-signature': badSig }, secrets: secret, scheme }),
            ).code,
          ).toBe('ERR_WEBHOOK_SIGNATURE_MISMATCH');
        },
      ),
      { numRuns: 150 },
    );
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
