import { describe, expect, it } from 'vitest';
import { exampleCancel } from '../../test/support/example-requests.js';
import { type Body, checkCases, long } from '../../test/support/validation-cases.js';
import { validateCancelRequest } from './cancel.js';

describe('v3 cancel schema (docs/ingo-contract.md §4)', () => {
  it.each<[string, Body]>([
    ['a person', {}],
    ['a business', { first_name: undefined, last_name: undefined, business_name: 'Acme LLC' }],
    ['all optional fields', { notification_id: 9876543, customer_id: 'c-1', participant_unique_id2: 'b-7' }],
    ['a 254-character id', { participant_unique_id1: long(254) }],
  ])('accepts %s', (_name, overrides) => {
    expect(() => validateCancelRequest(exampleCancel(overrides))).not.toThrow();
  });

  it('passes fields the SDK does not model through unchanged', () => {
    const body = exampleCancel({ cancel_reason: 'duplicate payout', internal_ref: 7 });
    expect(validateCancelRequest(body)).toEqual(body);
  });

  checkCases(
    [
      ['participant_id missing', (b) => delete b.participant_id, 'participant_id', 'required'],
      ['participant_unique_id1 missing', (b) => delete b.participant_unique_id1, 'participant_unique_id1', 'required'],
      [
        'participant_unique_id1 255',
        (b) => (b.participant_unique_id1 = long(255, 'q')),
        'participant_unique_id1',
        'max_length',
      ],
      ['tracer_id missing', (b) => delete b.tracer_id, 'tracer_id', 'required'],
      ['tracer_id empty', (b) => (b.tracer_id = ''), 'tracer_id', 'min_length'],
      ['tracer_id 255', (b) => (b.tracer_id = long(255, 't')), 'tracer_id', 'max_length'],
      ['amount missing', (b) => delete b.amount, 'amount', 'required'],
      ['amount zero', (b) => (b.amount = '0'), 'amount', 'range'],
      ['amount malformed', (b) => (b.amount = 'PLANTED'), 'amount', 'format'],
      ['business and person', (b) => (b.business_name = 'Acme LLC'), 'business_name', 'one_of'],
      [
        'no names',
        (b) => {
          delete b.first_name;
          delete b.last_name;
        },
        'first_name',
        'one_of',
      ],
      ['last name missing', (b) => delete b.last_name, 'last_name', 'required'],
      ['first_name 151', (b) => (b.first_name = long(151, 'f')), 'first_name', 'max_length'],
      ['notification_id as string', (b) => (b.notification_id = '9876543'), 'notification_id', 'type'],
      ['notification_id zero', (b) => (b.notification_id = 0), 'notification_id', 'range'],
      [
        'participant_unique_id2 101',
        (b) => (b.participant_unique_id2 = long(101, 'q')),
        'participant_unique_id2',
        'max_length',
      ],
      ['participant_id as string', (b) => (b.participant_id = '12345'), 'participant_id', 'type'],
      ['participant_unique_id1 empty', (b) => (b.participant_unique_id1 = ''), 'participant_unique_id1', 'min_length'],
      ['first_name empty', (b) => (b.first_name = ''), 'first_name', 'min_length'],
      ['first name missing', (b) => delete b.first_name, 'first_name', 'required'],
      ['last_name 151', (b) => (b.last_name = long(151, 'l')), 'last_name', 'max_length'],
      [
        'business_name 151',
        (b) => {
          delete b.first_name;
          delete b.last_name;
          b.business_name = long(151, 'b');
        },
        'business_name',
        'max_length',
      ],
      ['amount as number', (b) => (b.amount = 125.5), 'amount', 'type'],
      ['amount 3 decimals', (b) => (b.amount = '1.234'), 'amount', 'format'],
      ['amount 11 characters', (b) => (b.amount = '12345678.00'), 'amount', 'max_length'],
      ['tracer_id as number', (b) => (b.tracer_id = 77), 'tracer_id', 'type'],
      ['notification_id fractional', (b) => (b.notification_id = 1.5), 'notification_id', 'type'],
      ['customer_id as number', (b) => (b.customer_id = 42), 'customer_id', 'type'],
    ],
    () => exampleCancel(),
    (body) => validateCancelRequest(body),
  );
});
