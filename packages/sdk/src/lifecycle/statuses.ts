// The statuses of docs/lifecycle.md, their rank (how far a payout has come) and which are terminal.

export const DISBURSEMENT_STATUSES = [
  'pending',
  'staged',
  'notified',
  'bounced',
  'viewed',
  'authenticated',
  'claimed',
  'approved',
  'funded',
  'failed',
  'canceled',
  'expired',
  'returned',
] as const;

export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];

export const STATUS_RANK: Readonly<Record<DisbursementStatus, number>> = Object.freeze({
  pending: 0,
  staged: 1,
  notified: 2,
  bounced: 2,
  viewed: 3,
  authenticated: 4,
  claimed: 5,
  approved: 6,
  funded: 7,
  failed: 7,
  canceled: 7,
  expired: 7,
  returned: 8,
});

export const TERMINAL_STATUSES: readonly DisbursementStatus[] = Object.freeze([
  'funded',
  'failed',
  'canceled',
  'expired',
  'returned',
]);

export function isTerminal(status: DisbursementStatus): boolean {
  return STATUS_RANK[status] >= 7;
}
