// Builds Ingo webhook payloads shaped like docs/ingo-contract.md §6 for tests, and their normalized events.

import type { KnownTopic } from '../../src/topics/catalog.js';
import { TOPIC_INFO } from '../../src/topics/topic-info.js';
import type { IngoWebhookEvent } from '../../src/webhooks/event.js';
import { parseWebhookEvent } from '../../src/webhooks/normalize.js';

export interface PayloadOptions {
  topic: string;
  id?: string | number;
  /** Unix seconds. */
  timestamp?: number;
  notificationId?: string | number;
  partyId?: string;
  event?: Record<string, unknown>;
}

let counter = 0;

export function ingoPayload(options: PayloadOptions): Record<string, unknown> {
  counter += 1;
  const info = TOPIC_INFO[options.topic as KnownTopic] as (typeof TOPIC_INFO)[KnownTopic] | undefined;
  return {
    metadata: {
      id: options.id ?? `evt-${counter}`,
      timestamp: options.timestamp ?? 1_752_000_000 + counter,
      topic: options.topic,
      topic_description: info?.description ?? 'test event',
      version: info?.version ?? '1',
    },
    data: {
      ancillary: {
        participant_unique_id1: 'pay-1',
        participant_unique_id2: '',
        notification_id: options.notificationId ?? '1000001',
        session_id: '00000000-0000-0000-0000-000000000001',
        party_id: options.partyId ?? '',
      },
      event: {
        status: String(info?.statusCode ?? 100),
        client_message: info?.clientMessage ?? 'Success',
        ...options.event,
      },
    },
  };
}

export function ingoEvent(options: PayloadOptions): IngoWebhookEvent {
  return parseWebhookEvent(ingoPayload(options));
}
