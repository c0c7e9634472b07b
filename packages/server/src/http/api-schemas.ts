import { DISBURSEMENT_STATUSES } from '@notifykit/sdk';
import { z } from 'zod';

// The API's own shapes, defined once: request query/body validation and the OpenAPI document
// (z.toJSONSchema) both come from here. Query values arrive as strings, so the schemas validate
// strings and the handlers convert; that keeps every schema representable in JSON Schema. Statuses are
// the SDK's list, so the API validates and documents exactly what the reducer produces.

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const AMOUNT = /^\d{1,8}(?:\.\d{1,2})?$/;

const dateParam = (what: string) =>
  z
    .string()
    .regex(ISO_DATE, { error: 'must be an ISO 8601 date or date-time, e.g. 2025-01-31 or 2025-01-31T12:00:00Z' })
    .meta({ description: what });
const amountParam = (what: string) =>
  z.string().regex(AMOUNT, { error: 'must be a decimal dollar amount like "250.00"' }).meta({ description: what });
const limitParam = z
  .string()
  .regex(/^\d{1,3}$/, { error: 'must be an integer between 1 and 200' })
  .meta({ description: 'Page size, 1–200 (default 50)' });
const cursorParam = z.string().max(512).meta({ description: 'Opaque cursor from the previous page (`next_cursor`)' });

export const listDisbursementsQuery = z.strictObject({
  status: z
    .string()
    .max(200)
    .meta({ description: `Comma-separated statuses: ${DISBURSEMENT_STATUSES.join(', ')}` })
    .optional(),
  created_from: dateParam('Created at or after (inclusive)').optional(),
  created_to: dateParam('Created before (exclusive)').optional(),
  updated_from: dateParam('Updated at or after (inclusive)').optional(),
  updated_to: dateParam('Updated before (exclusive)').optional(),
  amount_min: amountParam('Amount at least (inclusive)').optional(),
  amount_max: amountParam('Amount at most (inclusive)').optional(),
  q: z
    .string()
    .min(1)
    .max(200)
    .meta({
      description:
        'Text search: exact id, participant_unique_id1/2, tracer_id or notification_id, or part of the recipient name',
    })
    .optional(),
  limit: limitParam.optional(),
  cursor: cursorParam.optional(),
});

export const listEventsQuery = z.strictObject({
  topic: z.string().min(1).max(200).meta({ description: 'Exact topic as received' }).optional(),
  notification_id: z.string().min(1).max(100).optional(),
  disbursement_id: z.string().min(1).max(100).optional(),
  orphan: z
    .enum(['true', 'false'])
    .meta({ description: 'Only events not (yet) attached to a disbursement' })
    .optional(),
  limit: limitParam.optional(),
  cursor: cursorParam.optional(),
});

export const emptyQuery = z.strictObject({});

export const disbursementIdParams = z.strictObject({
  id: z.string().regex(/^dsb_[0-9a-f]{28}$/, { error: 'is not a disbursement id' }),
});

// --- responses (documentation) ----------------------------------------------------------------------

export const errorResponse = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

const isoTime = z.string().meta({ format: 'date-time' });

export const disbursementResponse = z
  .object({
    id: z.string(),
    status: z.enum(DISBURSEMENT_STATUSES),
    participant_id: z.int(),
    participant_unique_id1: z.string(),
    participant_unique_id2: z.string().nullable(),
    tracer_id: z.string(),
    notification_id: z.string().nullable(),
    amount: z.string().meta({ description: 'Decimal dollars, exact' }),
    amount_cents: z.int(),
    recipient_name: z.string(),
    on_hold: z.boolean(),
    ingo_status: z.int().nullable().meta({ description: 'Last Ingo status code of a stage/cancel call' }),
    failure: z.object({ code: z.string(), message: z.string() }).nullable(),
    side_facts: z.record(z.string(), z.unknown()).meta({ description: "The lifecycle reducer's side facts" }),
    created_at: isoTime,
    updated_at: isoTime,
    staged_at: isoTime.nullable(),
    funded_at: isoTime.nullable(),
    last_event_at: isoTime.nullable(),
  })
  .meta({ id: 'Disbursement' });

const eventResponse = z
  .object({
    seq: z.int(),
    metadata_id: z.string(),
    topic: z.string(),
    classification: z.string(),
    notification_id: z.string().nullable(),
    participant_unique_id1: z.string().nullable(),
    disbursement_id: z.string().nullable().meta({ description: 'null while the event is an orphan' }),
    occurred_at: isoTime.nullable(),
    received_at: isoTime,
    duplicate_count: z.int(),
    last_duplicate_at: isoTime.nullable(),
    payload: z.unknown().meta({ description: 'The webhook body exactly as received (parsed JSON)' }),
  })
  .meta({ id: 'WebhookEvent' });

const timelineEntryResponse = z
  .object({
    seq: z.int(),
    at: isoTime,
    kind: z.string().meta({
      description: 'created, staged, stage_retry, stage_failed, event, cancel_requested, canceled, cancel_refused, …',
    }),
    status_before: z.string().nullable(),
    status_after: z.string().nullable(),
    detail: z.unknown().nullable(),
    event: eventResponse.nullable(),
  })
  .meta({ id: 'TimelineEntry' });

export const disbursementDetailResponse = disbursementResponse
  .extend({
    recipient: z.record(z.string(), z.unknown()).meta({ description: 'Decrypted recipient (contact data included)' }),
    request: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The stage request as sent to Ingo, client_provided_values redacted' }),
    timeline: z.array(timelineEntryResponse),
  })
  .meta({ id: 'DisbursementDetail' });

export const disbursementPage = z
  .object({ data: z.array(disbursementResponse), next_cursor: z.string().nullable() })
  .meta({ id: 'DisbursementPage' });

export const eventPage = z
  .object({ data: z.array(eventResponse), next_cursor: z.string().nullable() })
  .meta({ id: 'WebhookEventPage' });

export const statsResponse = z
  .object({
    total: z.object({ count: z.int(), amount: z.string(), amount_cents: z.int() }),
    by_status: z.record(z.string(), z.object({ count: z.int(), amount: z.string(), amount_cents: z.int() })),
    funnel: z
      .array(z.object({ step: z.string(), reached: z.int() }))
      .meta({ description: 'How many disbursements ever reached each step, staged → funded' }),
    median_time_to_fund_ms: z.int().nullable(),
    orphan_events: z.int(),
    outbox_depth: z.int(),
  })
  .meta({ id: 'Stats' });

export const cancelResponse = disbursementResponse;
