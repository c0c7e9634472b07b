import { describe, expect, it } from 'vitest';
import { DISBURSEMENT_STATUSES, isTerminal, STATUS_RANK, TERMINAL_STATUSES } from './statuses.js';

describe('statuses and ranks', () => {
  it('match lifecycle.md', () => {
    expect(DISBURSEMENT_STATUSES).toEqual([
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
    ]);
    expect(STATUS_RANK).toEqual({
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
    expect([...TERMINAL_STATUSES].sort()).toEqual(['canceled', 'expired', 'failed', 'funded', 'returned']);
    for (const s of DISBURSEMENT_STATUSES) expect(isTerminal(s)).toBe(TERMINAL_STATUSES.includes(s));
  });
});
