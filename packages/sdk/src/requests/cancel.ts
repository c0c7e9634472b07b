// The v3 cancel body, `POST /gateway/v3/notifycancel` (docs/ingo-contract.md §4).

import { z } from 'zod';
import { always, amountString, checkNameForm, personName, text } from './fields.js';
import { validateWith } from './validation-issues.js';

function buildCancelSchema() {
  return z
    .looseObject({
      participant_id: z.int(),
      participant_unique_id1: text().min(1).max(254),
      first_name: personName().optional(),
      last_name: personName().optional(),
      business_name: personName().optional(),
      amount: amountString(),
      tracer_id: text().min(1).max(254),
      notification_id: z.int().positive().optional(),
      customer_id: text().optional(),
      participant_unique_id2: text().max(100).optional(),
    })
    .superRefine(checkNameForm, always)
    .meta({ description: 'first_name and last_name as staged, or business_name for a business recipient' });
}

/** Schema of the body of `POST /gateway/v3/notifycancel`. */
export const cancelRequestSchema = buildCancelSchema();
/** Body of `POST /gateway/v3/notifycancel`. */
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

/** Returns the cancel body (fields the SDK does not model kept as sent) or throws {@link ValidationError}. */
export function validateCancelRequest(body: unknown): CancelRequest {
  return validateWith(cancelRequestSchema, body, 'cancel request');
}
