import { CHECK_CANCEL_REASON_CODES, CHECK_STOP_REASON_CODES } from '@notifykit/sdk';
import { z } from 'zod';

// The bodies of the API's actions on a disbursement (creation takes the SDK's stage request instead),
// defined once: validation (request-parsing.ts) and the OpenAPI document both come from here. The
// reason codes are the SDK's, so the API accepts exactly what Ingo's check API does (docs/ingo-contract.md §4.1).

function reasonCode(codes: readonly number[], meaning: string) {
  return z
    .int()
    .refine((code) => codes.includes(code), { error: `must be one of ${codes.join(', ')}` })
    .meta({ enum: [...codes], description: meaning });
}

const checkNumber = z
  .string()
  .min(1)
  .max(50)
  .meta({ description: "The check's number, as Ingo's check events give it (optional: checked by Ingo when sent)" });

export const checkVoidBody = z
  .strictObject({
    reason_code: reasonCode(
      CHECK_CANCEL_REASON_CODES,
      '73 not printed, 74 undelivered, 75 client request, 76 internal (Ingo checkcancel reason codes)',
    ),
    check_number: checkNumber.optional(),
  })
  .meta({ id: 'CheckVoidRequest', description: 'Void the mailed check (Ingo POST /gateway/checkcancel)' });

export const checkStopBody = z
  .strictObject({
    reason_code: reasonCode(CHECK_STOP_REASON_CODES, '77 or 78 (Ingo checkstop reason codes)'),
    check_number: checkNumber.optional(),
  })
  .meta({ id: 'CheckStopRequest', description: 'Stop payment on the issued check (Ingo POST /gateway/checkstop)' });

// A Managed Parties (v4) payout: the REST shape the server turns into Ingo's v4 body
// (disbursements/managed-request.ts). Field formats (names, email, phone, ZIP, authentication records)
// are then checked by the SDK's v4 schema, under the same rules as the client.
const managedParty = z
  .looseObject({
    role: z.enum(['recipient', 'approver', 'interested_party']).meta({
      description: 'recipient (exactly one), approver (0–5, all must approve), interested_party (kept informed)',
    }),
    client_provided_id: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'Your id for the party, unique in the payout (default party-<n>)' }),
    first_name: z.string().meta({ description: 'Given name' }),
    last_name: z.string().meta({ description: 'Family name' }),
    email: z.string().optional().meta({ description: 'Where the party is notified' }),
    phone_mobile: z.string().optional().meta({ description: 'US mobile number (required under OTAC)' }),
    address: z
      .looseObject({
        address1: z.string().optional(),
        address2: z.string().optional(),
        city: z.string().optional(),
        state: z.string().optional(),
        zip: z.string().optional(),
      })
      .optional(),
    authentication_records: z
      .array(z.record(z.string(), z.unknown()))
      .optional()
      .meta({ description: 'As in a v3 stage request (1–20; not for an interested party); stored encrypted' }),
    notification_records: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .meta({ id: 'ManagedParty' });

export const managedDisbursementBody = z
  .looseObject({
    amount: z.string().meta({ description: 'Decimal dollars, at most 2 decimals, like "250.00" (USD)' }),
    participant_unique_id1: z
      .string()
      .optional()
      .meta({ description: 'Idempotency key (or the Idempotency-Key header)' }),
    participant_unique_id2: z.string().optional(),
    tracer_id: z.string().optional(),
    workflow_id: z.int().optional(),
    sender: z
      .looseObject({
        first_name: z.string(),
        last_name: z.string(),
        email: z.string().optional(),
        sender_account: z.string().optional(),
      })
      .meta({ description: 'Who pays' }),
    parties: z
      .array(managedParty)
      .min(1)
      .meta({ description: 'The parties; their presence makes the payout Managed (v4)' }),
  })
  .meta({ id: 'ManagedDisbursementRequest', description: 'Create a Managed Parties (Ingo v4) payout' });

export type ManagedDisbursementBody = z.infer<typeof managedDisbursementBody>;
