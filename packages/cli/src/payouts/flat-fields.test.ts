import { describe, expect, it } from 'vitest';
import { stageInputOf, unknownColumnReason } from './flat-fields.js';

describe('flat payout fields', () => {
  it('become a v3 stage body: recipient fields, numbered auth records and notes, empty cells absent', () => {
    expect(
      stageInputOf({
        amount: '10.00',
        participant_unique_id1: 'k',
        business_name: 'Acme',
        email: 'ap@example.com',
        city: '',
        auth2_label: 'Zip',
        auth2_value: '78701',
        auth1_label: 'Last 4 SSN',
        auth1_format: 'XXXX',
        auth1_value: '1234',
        note1_label: 'Claim',
        note1_value: 'CLM-1',
      }),
    ).toEqual({
      amount: '10.00',
      participant_unique_id1: 'k',
      recipient: { business_name: 'Acme', email: 'ap@example.com' },
      authentication_records: [
        {
          field_label: 'Last 4 SSN',
          field_order: 1,
          validation_type: 1,
          match_failure_type: 1,
          value_format: 'XXXX',
          client_provided_value: '1234',
        },
        {
          field_label: 'Zip',
          field_order: 2,
          validation_type: 1,
          match_failure_type: 1,
          client_provided_value: '78701',
        },
      ],
      notification_records: [{ field_label: 'Claim', client_provided_value: 'CLM-1' }],
    });
  });

  it('know Ingo column names only, up to auth20', () => {
    for (const ok of ['amount', 'zip', 'customer_id', 'auth20_format', 'note7_value'])
      expect(unknownColumnReason(ok)).toBeUndefined();
    expect(unknownColumnReason('emial')).toBe('unknown column "emial"');
    expect(unknownColumnReason('auth21_label')).toMatch(/at most 20/);
    expect(unknownColumnReason('note1_format')).toBeDefined();
  });
});
