import { DISBURSEMENT_STATUSES } from '@notifykit/sdk';
import { z } from 'zod';

// The API's query and path parameters, defined once: validation (request-parsing.ts) and the OpenAPI
// document (z.toJSONSchema) both come from here. Query values arrive as strings, so the schemas validate
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

/** The list's orders: keyset-paginated on (column, id), each backed by an index. */
export const LIST_SORTS = ['created_at', '-created_at', 'updated_at', '-updated_at', 'amount', '-amount'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

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
  hold: z
    .enum(['approvals', 'ofac'])
    .meta({
      description: 'Only payouts on hold for this reason: `approvals` awaits approval (Managed), `ofac` screening',
    })
    .optional(),
  sort: z
    .enum(LIST_SORTS)
    .meta({
      description:
        'Order: created_at, updated_at or amount, ascending; a leading `-` for descending (default -created_at). Cursors belong to the order they came from',
    })
    .optional(),
  limit: limitParam.optional(),
  cursor: cursorParam.optional(),
});

export const listEventsQuery = z.strictObject({
  topic: z.string().min(1).max(200).meta({ description: 'Exact topic as received' }).optional(),
  notification_id: z.string().min(1).max(100).meta({ description: "Ingo's notification_id, exact" }).optional(),
  disbursement_id: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: 'Only events attached to this disbursement' })
    .optional(),
  orphan: z
    .enum(['true', 'false'])
    .meta({ description: 'Only events not (yet) attached to a disbursement' })
    .optional(),
  limit: limitParam.optional(),
  cursor: cursorParam.optional(),
});

export const listQuarantineQuery = z.strictObject({
  limit: limitParam.optional(),
  cursor: cursorParam.optional(),
});

export const emptyQuery = z.strictObject({});

export const disbursementIdParams = z.strictObject({
  id: z.string().regex(/^dsb_[0-9a-f]{28}$/, { error: 'is not a disbursement id' }),
});
