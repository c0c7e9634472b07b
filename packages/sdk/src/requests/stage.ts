// The v3 stage body, `POST /gateway/v3/notify` (docs/ingo-contract.md §3).

import { z } from 'zod';
import {
  always,
  amountString,
  authenticationRecordSchema,
  checkNameForm,
  emailField,
  LANGUAGES,
  notificationRecordSchema,
  personName,
  phoneField,
  stateField,
  text,
  zipField,
} from './fields.js';
import { memoizedByRules, type ProgramRules } from './program-rules.js';
import { validateWith } from './validation-issues.js';

function recipientSchema(rules: ProgramRules) {
  const optionalEmail = emailField(false).optional();
  const optionalMobile = phoneField(rules, false).optional();
  return z
    .looseObject({
      customer_id: text().optional(),
      first_name: personName().optional(),
      last_name: personName().optional(),
      business_name: personName().optional(),
      // The static type says optional because ProgramRules decide at runtime; the schema enforces it.
      email: (rules.requireEmail ? emailField(true) : optionalEmail) as typeof optionalEmail,
      mobile: (rules.otac ? phoneField(rules, true) : optionalMobile) as typeof optionalMobile,
      phone: phoneField(rules, false).optional(),
      address1: text().optional(),
      address2: text().optional(),
      city: text().optional(),
      state: stateField(rules).optional(),
      zip: zipField(rules).optional(),
    })
    .superRefine(checkNameForm, always)
    .meta({ description: 'Exactly one of (first_name and last_name) or business_name' });
}

function buildStageSchema(rules: ProgramRules) {
  const record = authenticationRecordSchema();
  const optionalRecords = z.array(record).max(20).optional();
  return z.looseObject({
    participant_id: z.int(),
    amount: amountString(),
    workflow_id: z.int().optional().meta({ description: 'Defaults to 1' }),
    participant_unique_id1: text().min(1).max(100).meta({ description: 'Unique per participant: the idempotency key' }),
    participant_unique_id2: text().max(100).optional(),
    tracer_id: text()
      .max(254)
      .optional()
      .meta({ description: 'Echoed back; needed later to cancel (the SDK client generates trc-<uuid> when absent)' }),
    recipient: recipientSchema(rules),
    authentication_records: (rules.otac ? optionalRecords : z.array(record).min(1).max(20)) as typeof optionalRecords,
    notification_records: z.array(notificationRecordSchema()).optional(),
    language: z.enum(LANGUAGES).optional(),
  });
}

export type StageRequestSchema = ReturnType<typeof buildStageSchema>;
/**
 * Body of `POST /gateway/v3/notify`: the fields the SDK knows, typed, and any other field Ingo documents
 * (top level and inside `recipient`), passed through as sent.
 */
export type StageRequest = z.infer<StageRequestSchema>;

const stageSchemas = memoizedByRules(buildStageSchema);

/** The stage body schema under the given program rules (defaults: {@link DEFAULT_PROGRAM_RULES}). */
export function stageRequestSchema(rules?: Partial<ProgramRules>): StageRequestSchema {
  return stageSchemas(rules);
}

/** Returns the stage body (fields the SDK does not model kept as sent) or throws {@link ValidationError}. */
export function validateStageRequest(body: unknown, rules?: Partial<ProgramRules>): StageRequest {
  return validateWith(stageRequestSchema(rules), body, 'stage request');
}
