import { DISBURSEMENT_STATUSES } from '@notifykit/sdk';
import { z } from 'zod';
import { ATTENTION_CODES } from '../lifecycle/public-facts.js';

// The shapes the API answers with, each field described: the OpenAPI document is generated from these
// (openapi-document.ts), tests parse real answers with them, and views.ts is checked against their types.
// The reducer's internal state never appears as such: the disbursement shows what it means (hold,
// attention, payment method, authentication, cancel), in snake_case.

const isoTime = (description: string) => z.string().meta({ format: 'date-time', description });
const isoTimeOrNull = (description: string) =>
  z.string().meta({ format: 'date-time' }).nullable().meta({ description });

export const errorResponse = z
  .object({
    error: z
      .object({
        code: z.string().meta({ description: 'Stable machine-readable code (e.g. validation_failed, cancel_refused)' }),
        message: z.string().meta({ description: 'What went wrong, for a human; never echoes submitted values' }),
        details: z
          .unknown()
          .optional()
          .meta({ description: 'Structured details when the code has any (issues, status, disbursement_id…)' }),
      })
      .meta({ description: 'The failure' }),
  })
  .meta({ id: 'Error' });

const attentionFlag = z
  .object({
    code: z.string().meta({
      description: `Stable code: ${Object.entries(ATTENTION_CODES)
        .map(([code, meaning]) => `\`${code}\` — ${meaning}`)
        .join('; ')}. New codes may be added.`,
    }),
    message: z.string().meta({ description: 'What needs a human, for a human' }),
    at: isoTimeOrNull('Since when (the event that raised it), when known'),
  })
  .meta({ id: 'AttentionFlag', description: 'Something about this payout that needs a human' });

export const disbursementResponse = z
  .object({
    id: z.string().meta({ description: 'notifykit id, `dsb_` + 28 hex characters (time-ordered)' }),
    kind: z
      .enum(['classic', 'managed'])
      .meta({ description: '`classic` (Ingo Notify v3) or `managed` (v4 Managed Parties)' }),
    status: z
      .enum(DISBURSEMENT_STATUSES)
      .meta({ description: 'Lifecycle status derived from the stage outcome and the webhooks (lifecycle.md)' }),
    participant_id: z.int().meta({ description: "Ingo participant id (this server's)" }),
    participant_unique_id1: z
      .string()
      .meta({ description: "Ingo's idempotency key for the stage call (the Idempotency-Key when one was sent)" }),
    participant_unique_id2: z.string().nullable().meta({ description: 'Optional second reference, as given' }),
    tracer_id: z.string().meta({ description: 'Tracer id sent with the stage call (needed to cancel)' }),
    notification_id: z
      .string()
      .nullable()
      .meta({ description: "Ingo's notification id; null until the stage response or a webhook names it" }),
    amount: z.string().meta({ description: 'Decimal dollars, exact ("250.00")' }),
    amount_cents: z.int().meta({ description: 'The amount in cents' }),
    currency: z.literal('USD').meta({ description: 'Always USD' }),
    recipient_name: z.string().meta({ description: 'First and last name, or the business name' }),
    on_hold: z.boolean().meta({ description: 'Same as hold.active (kept for list filters and older clients)' }),
    hold: z
      .object({
        active: z
          .boolean()
          .meta({ description: 'An OFAC suspension or an approvals payment suspension is open (never once terminal)' }),
        reasons: z
          .array(z.enum(['ofac', 'approvals']))
          .meta({ description: 'The open suspensions; empty when not active' }),
      })
      .meta({ description: 'Whether Ingo holds the payment, and why' }),
    attention: z.array(attentionFlag).meta({ description: 'What needs a human; empty when nothing does' }),
    ingo_status: z.int().nullable().meta({ description: 'Last Ingo status code of a stage/cancel call' }),
    failure: z
      .object({
        code: z.string().meta({ description: "Ingo's status code (e.g. 610) or notifykit's error code" }),
        message: z.string().meta({ description: "Ingo's client message or notifykit's explanation" }),
      })
      .nullable()
      .meta({ description: 'Why the stage call was refused for good; null otherwise' }),
    created_at: isoTime('When the disbursement was created here'),
    updated_at: isoTime('Last change of any field'),
    staged_at: isoTimeOrNull('When Ingo acknowledged the stage call'),
    funded_at: isoTimeOrNull('When it was funded (by the event time when the webhook carries one)'),
    last_event_at: isoTimeOrNull('Time of the latest lifecycle event (by event time)'),
  })
  .meta({ id: 'Disbursement' });

const eventResponse = z
  .object({
    seq: z.int().meta({ description: 'Inbox sequence number (ascending in arrival order)' }),
    metadata_id: z.string().meta({ description: "Ingo's metadata.id (unique: redeliveries only count)" }),
    topic: z.string().meta({ description: 'Topic as received' }),
    classification: z.string().meta({
      description:
        'What the topic does: the status it leads to, `side_facts` (holds, attempts, account), `none` or `unknown`',
    }),
    notification_id: z.string().nullable().meta({ description: 'Notification id the event names' }),
    participant_unique_id1: z.string().nullable().meta({ description: 'participant_unique_id1 the event names' }),
    disbursement_id: z.string().nullable().meta({ description: 'null while the event is an orphan' }),
    occurred_at: isoTimeOrNull("The event's own time (metadata.timestamp)"),
    received_at: isoTime('When it was first received'),
    duplicate_count: z.int().meta({ description: 'How many redeliveries came after the first' }),
    last_duplicate_at: isoTimeOrNull('When the latest redelivery came'),
    payload: z.unknown().meta({ description: 'The webhook body exactly as received (parsed JSON)' }),
  })
  .meta({ id: 'WebhookEvent' });

const timelineEntryResponse = z
  .object({
    seq: z.int().meta({ description: 'Order of the entries' }),
    at: isoTime('When notifykit recorded it'),
    kind: z.string().meta({
      description:
        'created, staged, stage_retry, stage_failed, event, canceled, cancel_refused, cancel_failed, cancel_outcome_unknown, check_voided, check_stopped, check_action_refused, check_action_failed',
    }),
    status_before: z.string().nullable().meta({ description: 'Status before this entry (null for created)' }),
    status_after: z.string().nullable().meta({ description: 'Status after this entry' }),
    detail: z.unknown().nullable().meta({
      description:
        "The entry's facts: outcome (status_changed, duplicate, no_effect…), Ingo codes…; `contradiction: {outcomes, status}` when Ingo reported two different terminal outcomes (the later event time decides the status)",
    }),
    party_id: z
      .string()
      .nullable()
      .meta({ description: 'Managed party the event is about (from its ancillary party_id); null otherwise' }),
    party_role: z
      .enum(['recipient', 'approver', 'interested_party'])
      .nullable()
      .meta({ description: "That party's role; null for classic payouts (filled with Managed Parties)" }),
    event: eventResponse.nullable().meta({ description: 'The webhook behind the entry; null for local outcomes' }),
  })
  .meta({ id: 'TimelineEntry' });

const decision = z.enum(['approved', 'declined']);

const partyResponse = z
  .object({
    party_id: z.string().nullable().meta({ description: "Ingo's party id (null until staged)" }),
    client_provided_id: z.string().meta({ description: 'Our id for the party, as staged' }),
    role: z.enum(['recipient', 'approver', 'interested_party']).meta({ description: 'The party role' }),
    name: z.string().nullable().meta({ description: 'Display name, when known' }),
    notified: z.boolean().meta({ description: 'A notification was sent to the party' }),
    viewed: z.boolean().meta({ description: 'The party opened its notification' }),
    authenticated: z.boolean().meta({ description: 'The party passed authentication' }),
    decision: decision.nullable().meta({ description: "An approver's decision; null otherwise" }),
    decided_at: isoTimeOrNull('When the decision was made'),
  })
  .meta({ id: 'Party' });

export const disbursementDetailResponse = disbursementResponse
  .extend({
    payment_method: z
      .object({
        account_type: z
          .string()
          .nullable()
          .meta({ description: "Ingo's account type of the latest choice: CA card, AC ACH, PD PayPal, CK check…" }),
        account_id_last4: z
          .string()
          .nullable()
          .meta({ description: 'Last 4 characters of the account id (null when unknown or too short to mask)' }),
      })
      .nullable()
      .meta({ description: 'The method the recipient chose; null until chosen. Never a token or full account id' }),
    authentication: z
      .object({
        attempts: z.int().nullable().meta({ description: 'Highest attempt count Ingo reported; null if none' }),
        max_attempts: z.int().nullable().meta({ description: 'Attempts allowed, as Ingo reported; null if none' }),
        passed: z.boolean().meta({
          description: 'The recipient is known to have passed authentication (authenticated or a later step)',
        }),
      })
      .meta({ description: "The recipient's authentication" }),
    cancel: z
      .object({
        allowed: z.boolean().meta({
          description: 'A cancel may be sent now: staged by Ingo, status at most authenticated, not terminal',
        }),
        reason: z.string().nullable().meta({ description: 'Why not, naming the status; null when allowed' }),
        requested_at: isoTimeOrNull('When notifykit last sent a cancel (recorded on the timeline)'),
        outcome: z.enum(['accepted', 'refused', 'unknown']).nullable().meta({
          description:
            'Of that cancel: accepted, refused (by Ingo, or it did not take effect: the payout went on), or unknown (Ingo could not be reached, or the answer was lost; settled by the lifecycle); null if none was sent',
        }),
      })
      .meta({ description: 'Whether the payout can be canceled, and the last cancel request' }),
    approvals: z
      .object({
        required: z.int().meta({ description: 'Approvers who must act' }),
        approved: z.int().meta({ description: 'Approvers who approved' }),
        declined: z.int().meta({ description: 'Approvers who declined' }),
        complete: z.boolean().meta({ description: 'Every approver has acted' }),
        decisions: z
          .array(
            z.object({
              party_id: z.string().meta({ description: "The approver's party id" }),
              decision: decision.meta({ description: 'approved or declined' }),
              decided_at: isoTimeOrNull('When, if known'),
            }),
          )
          .meta({ description: 'One per approver who acted' }),
      })
      .nullable()
      .meta({ description: 'Approval progress of a Managed payout; null for classic payouts' }),
    parties: z.array(partyResponse).meta({ description: 'Parties of a Managed payout; empty for classic payouts' }),
    recipient: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Decrypted recipient as staged (contact data included; never client_provided_values)' }),
    request: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The stage request as sent to Ingo, client_provided_values redacted' }),
    timeline: z.array(timelineEntryResponse).meta({ description: 'Everything that happened, in order' }),
  })
  .meta({ id: 'DisbursementDetail' });

export const disbursementPage = z
  .object({
    data: z.array(disbursementResponse).meta({ description: 'Newest first' }),
    next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'DisbursementPage' });

export const eventPage = z
  .object({
    data: z.array(eventResponse).meta({ description: 'Newest first' }),
    next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'WebhookEventPage' });

export const quarantinePage = z
  .object({
    data: z
      .array(
        z.object({
          seq: z.int().meta({ description: 'Quarantine sequence number (ascending in arrival order)' }),
          reason: z.string().meta({ description: 'Why it could not be stored as an event (names the field)' }),
          received_at: isoTime('When it was first received'),
          raw_payload: z.string().meta({ description: 'The verified webhook body exactly as received' }),
        }),
      )
      .meta({ description: 'Newest first' }),
    next_cursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null on the last' }),
  })
  .meta({ id: 'QuarantinedWebhookPage' });

const countAndAmount = z.object({
  count: z.int().meta({ description: 'Number of disbursements' }),
  amount: z.string().meta({ description: 'Their total, decimal dollars' }),
  amount_cents: z.int().meta({ description: 'Their total in cents' }),
});

export const statsResponse = z
  .object({
    total: countAndAmount.meta({ description: 'Every disbursement' }),
    by_status: z.record(z.string(), countAndAmount).meta({ description: 'Per current status' }),
    funnel: z
      .array(
        z.object({
          step: z.string().meta({ description: 'staged, notified, viewed, authenticated, claimed, approved, funded' }),
          reached: z.int().meta({ description: 'How many ever reached it' }),
        }),
      )
      .meta({ description: 'How many disbursements ever reached each step, staged → funded' }),
    median_time_to_fund_ms: z
      .int()
      .nullable()
      .meta({ description: 'Median time from staged to funded; null before the first funding' }),
    orphan_events: z.int().meta({ description: 'Webhooks not (yet) attached to a disbursement' }),
    outbox_depth: z.int().meta({ description: 'Stage calls waiting for Ingo' }),
  })
  .meta({ id: 'Stats' });

export type DisbursementResponse = z.infer<typeof disbursementResponse>;
export type DisbursementDetailResponse = z.infer<typeof disbursementDetailResponse>;
export type AttentionFlagResponse = z.infer<typeof attentionFlag>;
