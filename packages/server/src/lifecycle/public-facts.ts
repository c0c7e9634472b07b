import { type DisbursementState, STATUS_RANK } from '@notifykit/sdk';
import type { DisbursementRow } from '../db/schema.js';

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

/** The cancel the timeline last recorded, and what came of it. */
export function lastCancelRequest(
  timeline: readonly { kind: string; at: number }[],
  status: string,
): { requested_at: number | null; outcome: 'accepted' | 'refused' | 'unknown' | null } {
  const last = timeline.findLast((t) => t.kind in CANCEL_OUTCOMES);
  if (last === undefined) return { requested_at: null, outcome: null };
  // However the answer was lost, a payout that ended canceled had its cancel accepted.
  const outcome = status === 'canceled' ? 'accepted' : CANCEL_OUTCOMES[last.kind as keyof typeof CANCEL_OUTCOMES];
  return { requested_at: last.at, outcome };
}

/** Timeline kinds of a cancel sent to Ingo (lifecycle/timeline.ts, disbursements/cancel.ts). */
const CANCEL_OUTCOMES = { canceled: 'accepted', cancel_refused: 'refused', cancel_failed: 'unknown' } as const;
