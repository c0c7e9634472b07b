import {
  type AttentionCode,
  type AttentionFact,
  type DisbursementState,
  type DisbursementStatus,
  STATUS_RANK,
} from '@notifykit/sdk';
import type { DisbursementRow, OutboxRow } from '../db/schema.js';

// What a disbursement's reducer state means to a reader (the API, and through it the dashboard and the
// CLI): hold, payment method, authentication, what needs attention, whether it can be canceled. Derived
// here so that the reducer's internals (evidence, stamps, applied event ids) never leave the server.

export type HoldReason = 'ofac' | 'approvals';

export interface Hold {
  active: boolean;
  reasons: HoldReason[];
}

/** A suspension counts while it is open and the payout not terminal (the reducer's `onHold`). */
export function holdOf(state: DisbursementState): Hold {
  if (!state.onHold) return { active: false, reasons: [] };
  const reasons: HoldReason[] = [];
  if (state.holds.ofac === 'open') reasons.push('ofac');
  if (state.holds.approvals === 'open') reasons.push('approvals');
  return { active: true, reasons };
}

/** The last 4 characters only, and only of an id long enough that they do not reveal all of it. */
function lastFour(accountId: string | undefined): string | null {
  return accountId !== undefined && accountId.length > 4 ? accountId.slice(-4) : null;
}

/** The recipient's latest payment-method choice; never the token or the full account id. */
export function paymentMethodOf(
  state: DisbursementState,
): { account_type: string | null; account_id_last4: string | null } | null {
  if (state.accountType === undefined && state.accountId === undefined) return null;
  return { account_type: state.accountType ?? null, account_id_last4: lastFour(state.accountId) };
}

export function authenticationOf(
  state: DisbursementState,
  row: Pick<DisbursementRow, 'furthest_rank'>,
): { attempts: number | null; max_attempts: number | null; passed: boolean } {
  return {
    attempts: state.authAttempts ?? null,
    max_attempts: state.maxAuthAttempts ?? null,
    // Any later step (claimed, approved, funded) proves it too, even when its own event never came.
    passed: row.furthest_rank >= STATUS_RANK.authenticated,
  };
}

/** When the notification bounced, for a bounced payout: the latest notification event's time, if known. */
export function bounceTime(state: DisbursementState): number | null {
  const at = state.evidence.latestNotification?.stamp.atMs;
  return at === undefined || at <= 0 ? null : at;
}

/** A cancel could still take effect: at most `authenticated` (so not terminal either; lifecycle.md §Cancel). */
function cancelStillPossible(status: DisbursementStatus): boolean {
  return STATUS_RANK[status] <= STATUS_RANK.authenticated;
}

/**
 * The cancel the timeline last recorded, and what came of it. An unknown outcome (Ingo unreachable, or a
 * cancel whose answer was lost) is settled by the lifecycle: `accepted` once the payout is canceled,
 * `refused` once it went past the point where a cancel takes effect (claimed, funded, expired…).
 */
export function lastCancelRequest(
  timeline: readonly { kind: string; at: number }[],
  status: string,
): { requested_at: number | null; outcome: 'accepted' | 'refused' | 'unknown' | null } {
  const last = timeline.findLast((t) => t.kind in CANCEL_OUTCOMES);
  if (last === undefined) return { requested_at: null, outcome: null };
  // However the answer was lost, a payout that ended canceled had its cancel accepted.
  if (status === 'canceled') return { requested_at: last.at, outcome: 'accepted' };
  const outcome = CANCEL_OUTCOMES[last.kind as keyof typeof CANCEL_OUTCOMES];
  const settled = outcome === 'unknown' && !cancelStillPossible(status as DisbursementStatus);
  return { requested_at: last.at, outcome: settled ? 'refused' : outcome };
}

/** Timeline kinds of a cancel sent to Ingo (lifecycle/timeline.ts, disbursements/cancel.ts). */
const CANCEL_OUTCOMES = {
  canceled: 'accepted',
  cancel_refused: 'refused',
  cancel_failed: 'unknown',
  cancel_outcome_unknown: 'unknown',
} as const;

// --- attention ---------------------------------------------------------------------------------------

/** The REST vocabulary of attention codes (server README, "The disbursement"), each with what it means. */
export const ATTENTION_CODES = {
  notification_bounced: 'the status is bounced: the notification to the recipient bounced',
  stage_retrying: 'the outbox is retrying the stage call (Ingo unreachable or 5xx; the payout waits)',
  authentication_exhausted:
    'the recipient exhausted the authentication attempts with a hard mismatch (shown until the payout is funded)',
  approver_declined: 'an approver declined (Managed Parties) (shown until the payout is funded)',
  check_canceled:
    'the mailed check was voided; the reason code is in the message (shown until the payout is funded: a reissued check can still be paid)',
  check_stopped: 'payment on the mailed check was stopped; the reason code is in the message (shown until funded)',
  cancel_outcome_unknown:
    "a cancel was sent and its outcome is unknown (its answer was lost); Ingo's canceled webhook, or the payout moving on, settles it",
  event_time_suspicious:
    'a webhook dated far in the future or before the payout was staged (reserved: not emitted yet)',
} as const;

export type AttentionFlagCode = keyof typeof ATTENTION_CODES;

export interface AttentionFlag {
  code: AttentionFlagCode;
  message: string;
  /** Epoch ms, when known. */
  at: number | null;
}

/** What the views need of a disbursement's outbox row (absent once Ingo answered the stage call). */
export type OutboxState = Pick<OutboxRow, 'attempts' | 'next_attempt_at' | 'last_error' | 'created_at'>;

const CHECK_REASONS: Readonly<Record<string, string>> = {
  '73': 'not printed',
  '74': 'undelivered',
  '75': 'client request',
  '76': 'internal',
};

const reason = (fact: AttentionFact) =>
  fact.reasonCode === undefined
    ? ''
    : ` (reason ${fact.reasonCode}${CHECK_REASONS[fact.reasonCode] ? ` ${CHECK_REASONS[fact.reasonCode]}` : ''})`;

/** The message of each attention flag the lifecycle raises. */
const LIFECYCLE_MESSAGES: Readonly<Record<AttentionCode, (fact: AttentionFact, state: DisbursementState) => string>> = {
  authentication_exhausted: (_fact, state) =>
    `The recipient failed authentication ${state.authAttempts ?? 'the maximum'} time(s) with a hard mismatch: check the authentication data staged; Ingo usually terminates the payout`,
  approver_declined: (fact) =>
    `Approver ${fact.partyId ?? '(unnamed)'} declined the payment; Ingo usually terminates the payout`,
  check_canceled: (fact) => `The mailed check was voided${reason(fact)}; Ingo may reissue it or terminate the payout`,
  check_stopped: (fact) => `Payment on the mailed check was stopped${reason(fact)}`,
  cancel_outcome_unknown: () =>
    "A cancel was sent but its answer was lost, so whether it took effect is unknown; Ingo's canceled webhook (or the payout moving on) will settle it",
};

const epoch = (iso: string | undefined): number | null => {
  const ms = iso === undefined ? Number.NaN : Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
};

/**
 * Everything about a payout that needs a human, in one place: the bounce and the outbox's retries (from
 * the row), and the lifecycle's flags. The lifecycle's facts about authentication, approvers and the
 * check stop mattering once the payout is funded: a later success means nothing is left to do.
 */
export function attentionOf(
  row: Pick<DisbursementRow, 'status'>,
  state: DisbursementState,
  outbox: OutboxState | undefined,
): AttentionFlag[] {
  const flags: AttentionFlag[] = [];
  if (row.status === 'bounced') {
    flags.push({
      code: 'notification_bounced',
      message: "The notification to the recipient bounced: check the recipient's contact data",
      at: bounceTime(state),
    });
  }
  // A row that failed at least once is retrying; one without an error is the first attempt in flight.
  if (outbox !== undefined && outbox.last_error !== null) {
    flags.push({
      code: 'stage_retrying',
      message:
        `Ingo has not acknowledged the stage call after ${outbox.attempts} attempt(s) (last error: ${outbox.last_error}); ` +
        `the outbox retries, next at ${new Date(outbox.next_attempt_at).toISOString()}`,
      at: outbox.created_at,
    });
  }
  const succeeded = row.status === 'funded' || row.status === 'returned';
  for (const [code, describe] of Object.entries(LIFECYCLE_MESSAGES) as [
    AttentionCode,
    (typeof LIFECYCLE_MESSAGES)[AttentionCode],
  ][]) {
    const fact = state.attention[code];
    if (fact === undefined || (succeeded && code !== 'cancel_outcome_unknown')) continue;
    flags.push({ code, message: describe(fact, state), at: epoch(fact.at) });
  }
  return flags;
}
