// When a cancel may still be sent (docs/lifecycle.md): before the recipient has claimed the payment.

import type { DisbursementState } from './state.js';
import { isTerminal, STATUS_RANK } from './statuses.js';

/** Cancel is allowed while the status is at most `authenticated` and not terminal (lifecycle.md). */
export function canCancel(state: DisbursementState): boolean {
  return !isTerminal(state.status) && STATUS_RANK[state.status] <= STATUS_RANK.authenticated;
}

/** Why a cancel is refused, naming the current status; undefined when {@link canCancel} is true. */
export function cancelRefusalReason(state: DisbursementState): string | undefined {
  if (canCancel(state)) return undefined;
  if (isTerminal(state.status)) {
    return `Cannot cancel: the disbursement is already ${state.status}, a terminal status`;
  }
  return `Cannot cancel: the disbursement is ${state.status} — the recipient has already chosen a payment method, so Ingo refuses a cancel once claimed`;
}
