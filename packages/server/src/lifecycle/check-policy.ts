import type { DisbursementState } from '@notifykit/sdk';
import type { DisbursementRow } from '../db/schema.js';

/**
 * Why the mailed check of a payout cannot be voided or stopped now, naming what stands in the way;
 * undefined when the request may go to Ingo (docs/ingo-contract.md §4.1). Only a payout whose recipient chose a
 * check (account type CK) has one, and only while it is chosen or issued (status `approved`): once paid,
 * or after any other end, there is nothing left to stop. Whether it was issued yet is Ingo's to say.
 */
export function checkActionRefusal(
  row: Pick<DisbursementRow, 'status'>,
  state: Pick<DisbursementState, 'accountType'>,
): string | undefined {
  if (state.accountType !== 'CK') {
    return state.accountType === undefined
      ? `Not a check payout: the recipient has not chosen a payment method (status ${row.status})`
      : `Not a check payout: the recipient chose account type ${state.accountType}, not a mailed check (CK)`;
  }
  if (row.status !== 'approved') {
    return `The check can no longer be voided or stopped: the disbursement is ${row.status}`;
  }
  return undefined;
}
