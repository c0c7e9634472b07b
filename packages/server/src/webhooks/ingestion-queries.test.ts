import { describe, expect, it } from 'vitest';
import type { DisbursementRow } from '../db/schema.js';
import { changedUpdateGroups } from './ingestion-queries.js';

describe('changedUpdateGroups', () => {
  const base = {
    status: 'pending',
    furthest_rank: 0,
    on_hold: 0,
    notification_id: null,
    funded_at: null,
    time_to_fund_ms: null,
  } as unknown as DisbursementRow;
  it('names each group of columns that differs, and none when only state and timestamps change', () => {
    expect(changedUpdateGroups(base, { ...base, lifecycle_state: '{}', updated_at: 5 } as DisbursementRow)).toBe(0);
    expect(changedUpdateGroups(base, { ...base, on_hold: 1 })).toBe(0b001);
    expect(changedUpdateGroups(base, { ...base, notification_id: '1' })).toBe(0b010);
    expect(changedUpdateGroups(base, { ...base, time_to_fund_ms: 9 })).toBe(0b100);
    expect(changedUpdateGroups(base, { ...base, status: 'funded', funded_at: 1, notification_id: '1' })).toBe(0b111);
  });
});
