// The literal webhook fixtures of Ingo's event reference (test/fixtures/webhooks) and what each one
// normalizes to.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IngoWebhookEvent } from '../../src/webhooks/event.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/webhooks/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

/** Everything but `raw`, for comparing normalized events. */
export function fields(event: IngoWebhookEvent): Omit<IngoWebhookEvent, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}

export const fixtureExpectations: Record<string, Omit<IngoWebhookEvent, 'raw'>> = {
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
