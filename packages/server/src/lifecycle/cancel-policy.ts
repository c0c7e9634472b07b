import { canCancel, cancelRefusalReason, type DisbursementState } from '@notifykit/sdk';
import type { DisbursementRow } from '../db/schema.js';

/**
 * Why a cancel is refused before asking Ingo, naming the status; undefined when it may be sent. The
 * SDK's rule (lifecycle.md §Cancel: at most `authenticated`, not terminal), plus ours: Ingo must have
 * acknowledged the stage call, since a cancel names the notification. The cancel route and the
 * `cancel.allowed` the API shows both ask this, so they never disagree.
 */
export function cancelRefusal(
  row: Pick<DisbursementRow, 'status' | 'notification_id'>,
  state: DisbursementState,
): string | undefined {
  if (!canCancel(state)) return cancelRefusalReason(state) ?? `cannot cancel a ${row.status} disbursement`;
  if (row.status === 'pending' || row.notification_id === null) {
    return 'Cannot cancel: the disbursement is pending — Ingo has not acknowledged the stage call yet; retry once it is staged';
  }
  return undefined;
}
