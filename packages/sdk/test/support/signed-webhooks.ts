// Signs webhook bodies the way Ingo (and the sandbox) does, so tests can verify and normalize them.

import { expect } from 'vitest';
import { WebhookVerificationError } from '../../src/errors.js';
import type { IngoWebhookEvent } from '../../src/webhooks/event.js';
import {
  signWebhook,
  type VerifyWebhookInput,
  verifyWebhook,
  WEBHOOK_SIGNATURE_HEADER,
} from '../../src/webhooks/verify.js';
import { fixture } from './webhook-fixtures.js';

export const SECRET = 'whsec_test_5f1e2d3c4b5a69788796a5b4c3d2e1f0';

export function signed(body: string | Uint8Array, secret = SECRET): VerifyWebhookInput {
  return { rawBody: body, headers: { [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, secret) }, secrets: secret };
}

export function failure(fn: () => unknown): WebhookVerificationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return error as WebhookVerificationError;
  }
  throw new Error('expected a WebhookVerificationError, nothing was thrown');
}

export function body(payload: unknown): string {
  return JSON.stringify(payload);
}

export function verifyPayload(payload: unknown): IngoWebhookEvent {
  return verifyWebhook(signed(body(payload)));
}

export const successPayload = (): Record<string, unknown> =>
  JSON.parse(fixture('transaction.recipient.payment.status.success.json')) as Record<string, unknown>;

export function at(payload: Record<string, unknown>, path: string[]): Record<string, unknown> {
  let node: Record<string, unknown> = payload;
  for (const key of path) node = node[key] as Record<string, unknown>;
  return node;
}
