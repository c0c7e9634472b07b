// The bodies of Ingo's ancillary check endpoints (docs/ingo-contract.md §4.1): `POST /gateway/checkcancel` voids a
// mailed check, `POST /gateway/checkstop` stops payment on an issued one. Ingo publishes the reason
// codes (shared with the `…check.canceled` webhook) but not the bodies; **Decision**: the check is
// located like a cancel (`participant_unique_id1` + `tracer_id`, `notification_id` and `check_number`
// as optional extra locators), with the action's `reason_code`.

import { z } from 'zod';
import { text } from './fields.js';
import { addRuleIssue, validateWith } from './validation-issues.js';

/** Reasons to void a check: 73 not printed, 74 undelivered, 75 client request, 76 internal. */
export const CHECK_CANCEL_REASON_CODES = [73, 74, 75, 76] as const;
/** Reasons to stop payment on an issued check. */
export const CHECK_STOP_REASON_CODES = [77, 78] as const;

// A number (not a literal union) so a request built in an unannotated variable type-checks; the set
// is enforced at run time, with the allowed codes in the message.
function reasonCode(codes: readonly number[], meaning: string) {
  return z
    .int()
    .superRefine((value, ctx) => {
      if (!codes.includes(value)) addRuleIssue(ctx, [], 'enum', `must be one of ${codes.join(', ')}`);
    })
    .meta({ enum: [...codes], description: meaning });
}

function buildCheckSchema(codes: readonly number[], meaning: string) {
  return z.looseObject({
    participant_id: z.int(),
    participant_unique_id1: text().min(1).max(254),
    tracer_id: text().min(1).max(254),
    notification_id: z.int().positive().optional(),
    check_number: text().min(1).max(50).optional(),
    reason_code: reasonCode(codes, meaning),
  });
}

/** Schema of the body of `POST /gateway/checkcancel`. */
export const checkCancelRequestSchema = buildCheckSchema(
  CHECK_CANCEL_REASON_CODES,
  '73 not printed, 74 undelivered, 75 client request, 76 internal',
);
/** Schema of the body of `POST /gateway/checkstop`. */
export const checkStopRequestSchema = buildCheckSchema(CHECK_STOP_REASON_CODES, '77 or 78 (stop payment)');

/** Body of `POST /gateway/checkcancel` (void a check). */
export type CheckCancelRequest = z.infer<typeof checkCancelRequestSchema>;
/** Body of `POST /gateway/checkstop` (stop payment on an issued check). */
export type CheckStopRequest = z.infer<typeof checkStopRequestSchema>;

/** Returns the check void body or throws {@link ValidationError}. */
export function validateCheckCancelRequest(body: unknown): CheckCancelRequest {
  return validateWith(checkCancelRequestSchema, body, 'check cancel request');
}

/** Returns the stop payment body or throws {@link ValidationError}. */
export function validateCheckStopRequest(body: unknown): CheckStopRequest {
  return validateWith(checkStopRequestSchema, body, 'check stop request');
}
