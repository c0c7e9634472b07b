import { describe, expect, it } from 'vitest';
import { derivedKey, planRows } from './row-validation.js';

const base = {
  amount: '25.00',
  first_name: 'Pat',
  last_name: 'Doe',
  email: 'pat@example.com',
  mobile: '5125550100',
  auth1_label: 'Last 4 SSN',
  auth1_value: '1234',
};

describe('bulk row planning', () => {
  it('derives the same key from the same cells whatever the column order, and another from other cells', () => {
    expect(derivedKey({ a: '1', b: '2' })).toBe(derivedKey({ b: '2', a: '1', c: '' }));
    expect(derivedKey({ a: '1', b: '2' })).not.toBe(derivedKey({ a: '1', b: '3' }));
    expect(derivedKey(base)).toMatch(/^bulk-[0-9a-f]{32}$/);
  });

  it('keeps a given participant_unique_id1 and validates with the SDK stage schema', () => {
    const [ok, bad] = planRows([
      { row: 1, line: 2, fields: { ...base, participant_unique_id1: 'claim-1' } },
      { row: 2, line: 3, fields: { ...base, amount: '1.234', email: 'nope' } },
    ]);
    expect(ok).toMatchObject({ key: 'claim-1', problems: [] });
    expect(ok!.input).toMatchObject({ participant_unique_id1: 'claim-1', recipient: { first_name: 'Pat' } });
    expect(bad!.problems.join('; ')).toMatch(/amount: .*recipient\.email: /);
  });

  it('reports a second row with the same key instead of staging it twice', () => {
    const rows = planRows([
      { row: 1, line: 2, fields: base },
      { row: 2, line: 3, fields: base },
      { row: 3, line: 4, fields: { ...base, participant_unique_id1: 'x' } },
      { row: 4, line: 5, fields: { ...base, participant_unique_id1: 'x', amount: '30.00' } },
    ]);
    expect(rows.map((r) => r.problems.length)).toEqual([0, 1, 0, 1]);
    expect(rows[1]!.problems[0]).toMatch(/same content as row 1/);
    expect(rows[3]!.problems[0]).toMatch(/"x" is also on row 3/);
  });
});
