// The v4 Managed Parties stage body, `POST /gateway/v4/notify` (docs/ingo-contract.md §5).

import { z } from 'zod';
import { formatCents } from '../money.js';
import {
  always,
  amountNumber,
  authenticationRecordSchema,
  emailField,
  notificationRecordSchema,
  personName,
  phoneField,
  stateField,
  text,
  zipField,
} from './fields.js';
import { memoizedByRules, type ProgramRules } from './program-rules.js';
import { addRuleIssue, validateWith } from './validation-issues.js';

const MAX_APPROVERS = 5;

function personNameSchema() {
  return z.looseObject({ first_name: personName(), last_name: personName() });
}

function addressSchema(rules: ProgramRules) {
  return z.looseObject({
    address1: text().optional(),
    address2: text().optional(),
    city: text().optional(),
    state: stateField(rules).optional(),
    zip: zipField(rules).optional(),
  });
}

function partyTelcomSchema(rules: ProgramRules) {
  const optionalEmail = emailField(false).optional();
  const optionalMobile = phoneField(rules, false).optional();
  return z.looseObject({
    email: (rules.requireEmail ? emailField(true) : optionalEmail) as typeof optionalEmail,
    phone_mobile: (rules.otac ? phoneField(rules, true) : optionalMobile) as typeof optionalMobile,
  });
}

function notifyTypeSchema() {
  return z
    .int()
    .superRefine((value, ctx) => {
      if (value === 1 || value === 2) {
        addRuleIssue(
          ctx,
          [],
          'unsupported',
          'enrollment-only (1) and pay-enrolled-party (2) notify types are announced by Ingo but not available; use 0',
        );
      } else if (value !== 0) {
        addRuleIssue(ctx, [], 'enum', 'must be 0 (standard disbursement)');
      }
    })
    .meta({ enum: [0], description: '0 = standard disbursement, the only type available' });
}

function buildManagedSchema(rules: ProgramRules) {
  const telcom = partyTelcomSchema(rules);
  const optionalTelcom = telcom.optional();
  const party = z
    .looseObject({
      settings: z.looseObject({
        client_provided_id: text().min(1).meta({ description: 'Unique within the request' }),
        role: z.literal([0, 1, 2]).meta({ description: '0 recipient, 1 approver, 2 interested party' }),
        classification: z.literal([1]).optional().meta({ description: '1 individual' }),
        recipient_enabled: z.literal([0, 1]).optional(),
      }),
      name_personal: personNameSchema(),
      contact_telcom: (rules.requireEmail || rules.otac ? telcom : optionalTelcom) as typeof optionalTelcom,
      contact_address: addressSchema(rules).optional(),
      authentication: z.array(authenticationRecordSchema()).max(20).optional(),
      notification: z.array(notificationRecordSchema()).optional(),
    })
    .superRefine((value, ctx) => {
      // Recipients and approvers authenticate; an interested party is only informed.
      if (rules.otac || typeof value !== 'object' || value === null) return;
      const role = (value as { settings?: { role?: unknown } }).settings?.role;
      if (role !== 0 && role !== 1) return;
      const auth = (value as { authentication?: unknown }).authentication;
      if (auth === undefined) {
        addRuleIssue(ctx, ['authentication'], 'required', 'is required for a recipient or approver (1 to 20 records)');
      } else if (Array.isArray(auth) && auth.length === 0) {
        addRuleIssue(ctx, ['authentication'], 'min_items', 'must contain at least 1 item');
      }
    }, always);

  return z.looseObject({
    request: z.looseObject({
      participant_id: z.int(),
      timestamp: z.int().nonnegative().meta({ description: 'Unix seconds' }),
    }),
    transaction: z.looseObject({
      transaction_amount: z.looseObject({
        amount: amountNumber(),
        currency_code: z.literal('USD'),
      }),
      participant_unique_ids: z.looseObject({
        participant_unique_id1: text()
          .min(1)
          .max(100)
          .meta({ description: 'Unique per participant: the idempotency key' }),
        participant_unique_id2: text().max(100).optional(),
      }),
      workflow_id: z.int().optional(),
      notify_type: notifyTypeSchema(),
      sender: z.looseObject({
        name_personal: personNameSchema(),
        contact_address: addressSchema(rules).optional(),
        contact_telcom: z.looseObject({ email: emailField(false).optional() }).optional(),
        sender_account: text().optional(),
      }),
      tracer_id: text().max(254).optional(),
    }),
    transaction_parties: z
      .array(party)
      .min(1)
      .superRefine((parties, ctx) => {
        if (!Array.isArray(parties)) return;
        const roleOf = (p: unknown) => (p as { settings?: { role?: unknown } } | null)?.settings?.role;
        const recipients = parties.filter((p) => roleOf(p) === 0).length;
        if (recipients !== 1) {
          addRuleIssue(ctx, [], 'count', `must contain exactly one party with role 0 (recipient), found ${recipients}`);
        }
        const approvers = parties.filter((p) => roleOf(p) === 1).length;
        if (approvers > MAX_APPROVERS) {
          addRuleIssue(
            ctx,
            [],
            'count',
            `must contain at most ${MAX_APPROVERS} approvers (role 1), found ${approvers}`,
          );
        }
        const firstIndex = new Map<unknown, number>();
        parties.forEach((p, i) => {
          const id = (p as { settings?: { client_provided_id?: unknown } } | null)?.settings?.client_provided_id;
          if (typeof id !== 'string') return;
          const earlier = firstIndex.get(id);
          if (earlier === undefined) firstIndex.set(id, i);
          else {
            addRuleIssue(
              ctx,
              [i, 'settings', 'client_provided_id'],
              'unique',
              `duplicates transaction_parties.${earlier}.settings.client_provided_id`,
            );
          }
        });
      }, always)
      .meta({ description: 'Exactly one recipient (role 0), 0–5 approvers (role 1), unique client_provided_id' }),
  });
}

export type ManagedStageRequestSchema = ReturnType<typeof buildManagedSchema>;
/** Body of `POST /gateway/v4/notify`; every object also carries the fields the SDK does not model. */
export type ManagedStageRequest = z.infer<ManagedStageRequestSchema>;

const managedSchemas = memoizedByRules(buildManagedSchema);

/** The v4 managed stage body schema under the given program rules. */
export function managedStageRequestSchema(rules?: Partial<ProgramRules>): ManagedStageRequestSchema {
  return managedSchemas(rules);
}

/** Returns the v4 stage body (fields the SDK does not model kept as sent) or throws {@link ValidationError}. */
export function validateManagedStageRequest(body: unknown, rules?: Partial<ProgramRules>): ManagedStageRequest {
  return validateWith(managedStageRequestSchema(rules), body, 'managed stage request');
}

/** The fields of a v3 notifycancel body that identify a v4 payout: Ingo cancels Managed Parties payouts there too. */
export type ManagedCancelFields = {
  participant_unique_id1: string;
  participant_unique_id2?: string;
  tracer_id: string;
  amount: string;
  first_name: string;
  last_name: string;
};

/**
 * The notifycancel fields of a staged v4 body: its idempotency key and tracer, the amount as v3's decimal string
 * and the recipient's (role 0) name, which is what notifycancel matches on (docs/ingo-contract.md §4, §5).
 */
export function managedCancelFields(
  body: Pick<ManagedStageRequest, 'transaction' | 'transaction_parties'>,
  tracerId?: string,
): ManagedCancelFields {
  const recipient = body.transaction_parties.find((p) => p.settings.role === 0) ?? body.transaction_parties[0]!;
  const ids = body.transaction.participant_unique_ids;
  const tracer = tracerId ?? body.transaction.tracer_id;
  if (!tracer) throw new TypeError('a v4 payout is canceled by its tracer_id: pass the one the stage sent');
  return {
    participant_unique_id1: ids.participant_unique_id1,
    ...(ids.participant_unique_id2 ? { participant_unique_id2: ids.participant_unique_id2 } : {}),
    tracer_id: tracer,
    amount: formatCents(Math.round(body.transaction.transaction_amount.amount * 100)),
    first_name: recipient.name_personal.first_name,
    last_name: recipient.name_personal.last_name,
  };
}
