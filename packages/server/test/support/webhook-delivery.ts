import { signWebhook } from '@notifykit/sdk';

export interface WebhookPayloadInput {
  id?: string;
  topic: string;
  notificationId?: string;
  puid1?: string;
  status?: string;
  timestamp?: number;
  event?: Record<string, unknown>;
}

let counter = 0;

/** An Ingo webhook envelope as Ingo sends it (string status and ids). */
export function webhookPayload(input: WebhookPayloadInput): string {
  counter += 1;
  return JSON.stringify({
    metadata: {
      id: input.id ?? `evt-${process.pid}-${Date.now()}-${counter}`,
      timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
      topic: input.topic,
      topic_description: 'test event',
      version: '3',
    },
    data: {
      ancillary: {
        participant_unique_id1: input.puid1 ?? '',
        participant_unique_id2: '',
        notification_id: input.notificationId ?? '',
        session_id: '',
        party_id: '',
      },
      event: { status: input.status ?? '100', client_message: 'Success', ...(input.event ?? {}) },
    },
  });
}

export async function deliverWebhook(
  baseUrl: string,
  rawBody: string | Buffer,
  secret: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/ingo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ingo-signature': signWebhook(rawBody, secret), ...headers },
    body: rawBody,
  });
}
