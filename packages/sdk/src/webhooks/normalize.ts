// Parses an Ingo webhook envelope (docs/ingo-contract.md §6) into the normalized event, tolerating the type drift
// of §6 (ids and statuses as strings or numbers, timestamps in seconds or milliseconds).

import { WebhookVerificationError } from '../errors.js';
import { resolveTopic } from '../topics/resolve.js';
import { asNonEmptyString, driftInteger, driftString, isJsonObject } from '../type-drift.js';
import { detailsFor } from './details.js';
import type { IngoWebhookEvent } from './event.js';

/** A webhook body as received: the exact bytes, or their UTF-8 text. */
export type WebhookBody = string | Uint8Array;

// Ingo documents Unix seconds; a millisecond value (13 digits) is tolerated rather than read as year 50000.
function asDate(value: unknown): Date | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) return undefined;
  const date = new Date(n >= 1e11 ? n : n * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function notAnEnvelope(problem: string): never {
  throw new WebhookVerificationError(
    'ERR_WEBHOOK_NOT_AN_ENVELOPE',
    `The webhook body is not an Ingo event envelope: ${problem} (expected {"metadata": {"id", "topic", …}, "data": {…}})`,
  );
}

function normalize(payload: unknown): IngoWebhookEvent {
  if (!isJsonObject(payload)) notAnEnvelope(`the JSON is ${Array.isArray(payload) ? 'an array' : typeof payload}`);
  const metadata = payload.metadata;
  if (!isJsonObject(metadata)) notAnEnvelope('"metadata" is missing or not an object');
  const id = asNonEmptyString(metadata.id);
  if (id === undefined) notAnEnvelope('"metadata.id" is missing or not a string or number');
  const topic = metadata.topic;
  if (typeof topic !== 'string' || topic === '') notAnEnvelope('"metadata.topic" is missing or not a string');
  const data = payload.data;
  if (!isJsonObject(data)) notAnEnvelope('"data" is missing or not an object');
  const ancillary = isJsonObject(data.ancillary) ? data.ancillary : {};
  const event = isJsonObject(data.event) ? data.event : {};
  const resolved = resolveTopic(topic);
  return {
    source: 'ingo',
    id,
    topic,
    canonicalTopic: resolved.canonicalTopic,
    dialect: resolved.dialect,
    occurredAt: asDate(metadata.timestamp),
    version: asNonEmptyString(metadata.version),
    topicDescription: driftString(metadata.topic_description),
    notificationId: driftString(ancillary.notification_id) ?? '',
    participantUniqueId1: driftString(ancillary.participant_unique_id1) ?? '',
    participantUniqueId2: driftString(ancillary.participant_unique_id2) ?? '',
    partyId: asNonEmptyString(ancillary.party_id),
    sessionId: asNonEmptyString(ancillary.session_id),
    // Ingo's check API names its status `status_code` (docs/ingo-contract.md §4.1); a reader looks at both.
    statusCode: driftInteger(event.status) ?? driftInteger(event.status_code),
    clientMessage: driftString(event.client_message),
    kind: resolved.kind,
    details: detailsFor(resolved.kind, resolved.canonicalTopic, event),
    raw: payload,
  } as IngoWebhookEvent;
}

export function decodeBody(body: WebhookBody): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WebhookVerificationError(
      'ERR_WEBHOOK_MALFORMED_JSON',
      `The webhook body is not valid JSON (${text.length === 0 ? 'it is empty' : `${text.length} characters`})`,
    );
  }
}

/**
 * Normalizes an Ingo webhook **without checking its signature** — for bodies already verified (the
 * server stores the raw body, then re-reads it) or for tooling. Takes the raw body or its parsed JSON.
 */
export function parseWebhookEvent(body: WebhookBody | unknown): IngoWebhookEvent {
  if (typeof body === 'string' || body instanceof Uint8Array) return normalize(parseJson(decodeBody(body)));
  if (body instanceof ArrayBuffer) return normalize(parseJson(Buffer.from(body).toString('utf8')));
  return normalize(body);
}
