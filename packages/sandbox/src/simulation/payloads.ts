// Webhook envelopes exactly as docs/ingo-contract.md §6 shows them, including Ingo's type quirks: `status` and
// `notification_id` are strings, `metadata.timestamp` is Unix seconds, `metadata.version` depends on the
// topic. Names, codes, messages and versions come from the SDK's topic table (one source of truth).

import { createHash } from 'node:crypto';
import { type CanonicalTopic, TOPIC_INFO, topicInDialect } from '@notifykit/sdk';
import type { EmittedTopicDialect } from '../config/config.js';

export interface EnvelopeInput {
  topic: CanonicalTopic;
  dialect: EmittedTopicDialect;
  /** `metadata.id`: unique per event and stable across every delivery attempt. */
  eventId: string;
  /** Virtual ms. */
  at: number;
  notification: {
    id: number;
    puid1: string;
    puid2: string;
    sessionId: string;
    amount: string;
    accountType: string | null;
  };
  /** `data.ancillary.party_id`: empty for v3 recipients, the acting party's UUID for v4. */
  partyId: string;
  fields?: Record<string, unknown>;
}

export interface Envelope {
  /** The topic as emitted in the configured dialect. */
  topic: string;
  /** The exact JSON body every attempt delivers. */
  body: string;
}

// Stable per disbursement: the payment event must name the same account the tokenization did.
function digits(seed: string, length: number): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return (BigInt(`0x${hex.slice(0, 24)}`) % 10n ** BigInt(length)).toString().padStart(length, '1');
}

/** The number of the check mailed for a disbursement: stable, so every check event and the check API agree. */
export function checkNumberOf(notification: { id: number; sessionId: string }): string {
  return digits(`check:${notification.id}:${notification.sessionId}`, 10);
}

// Ingo's check-issued example carries neither `session_id` nor `party_id` (docs/ingo-contract.md §6.1).
const WITHOUT_SESSION_AND_PARTY: ReadonlySet<string> = new Set(['transaction.recipient.payment.status.check.issued']);

function topicFields(input: EnvelopeInput): Record<string, unknown> {
  const n = input.notification;
  const accountId = digits(`account:${n.id}:${n.sessionId}`, 9);
  switch (input.topic) {
    case 'transaction.account.tokenization.success':
      return {
        customer_account_token: `sbx_${digits(`token:${n.id}:${n.sessionId}`, 16)}`,
        account_id: accountId,
        issuers: [],
      };
    case 'transaction.recipient.payment.status.success':
    case 'transaction.recipient.payment.status.returned':
      return { account_id: accountId };
    case 'transaction.recipient.payment.status.check.issued':
    case 'transaction.recipient.payment.status.check.paid':
    case 'transaction.recipient.payment.status.check.returned':
    case 'transaction.recipient.payment.status.check.canceled':
    case 'transaction.recipient.payment.status.check.stopped':
      return { check_number: checkNumberOf(n), check_amount: n.amount };
    default:
      return {};
  }
}

/**
 * Builds one webhook, or undefined when the topic has no name in the dialect (the SDK's
 * `topicInDialect`): `--topics catalog` emits nothing for the quick-start-only `payment.status.approved`.
 */
export function buildEnvelope(input: EnvelopeInput): Envelope | undefined {
  const topic = topicInDialect(input.topic, input.dialect);
  if (topic === undefined) return undefined;
  const info = TOPIC_INFO[topic];
  const n = input.notification;
  const envelope = {
    metadata: {
      id: input.eventId,
      timestamp: Math.floor(input.at / 1000),
      topic,
      topic_description: info.description,
      version: info.version,
    },
    data: {
      ancillary: {
        participant_unique_id1: n.puid1,
        participant_unique_id2: n.puid2,
        notification_id: String(n.id),
        ...(WITHOUT_SESSION_AND_PARTY.has(input.topic) ? {} : { session_id: n.sessionId, party_id: input.partyId }),
      },
      event: {
        status: String(info.statusCode),
        client_message: info.clientMessage,
        ...topicFields(input),
        ...input.fields,
      },
    },
  };
  return { topic, body: JSON.stringify(envelope) };
}
