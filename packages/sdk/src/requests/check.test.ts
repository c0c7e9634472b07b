import { describe, expect, it } from 'vitest';
import { type Body, checkCases, long } from '../../test/support/validation-cases.js';
import { validateCheckCancelRequest, validateCheckStopRequest } from './check.js';

const checkCancel = (overrides: Body = {}): Body => ({
  participant_id: 12345,
  participant_unique_id1: 'pay-0001',
  tracer_id: 'trc-0001',
  reason_code: 75,
  ...overrides,
});

describe('check void and stop bodies (docs/ingo-contract.md §4.1)', () => {
  it.each([73, 74, 75, 76])('void accepts reason %i', (reason_code) => {
    expect(validateCheckCancelRequest(checkCancel({ reason_code }))).toEqual(checkCancel({ reason_code }));
  });

  it.each([77, 78])('stop accepts reason %i', (reason_code) => {
    expect(() => validateCheckStopRequest(checkCancel({ reason_code }))).not.toThrow();
  });

  it('accepts the optional locators and passes fields it does not model through', () => {
    const body = checkCancel({ notification_id: 1000001, check_number: '1010101010', memo: 'returned mail' });
    expect(validateCheckCancelRequest(body)).toEqual(body);
  });

  checkCases(
    [
      ['reason missing', (b) => delete b.reason_code, 'reason_code', 'required'],
      ['a stop reason on a void', (b) => (b.reason_code = 77), 'reason_code', 'enum'],
      ['reason as string', (b) => (b.reason_code = '75'), 'reason_code', 'type'],
      ['tracer_id missing', (b) => delete b.tracer_id, 'tracer_id', 'required'],
      ['tracer_id 255', (b) => (b.tracer_id = long(255, 't')), 'tracer_id', 'max_length'],
      ['participant_unique_id1 empty', (b) => (b.participant_unique_id1 = ''), 'participant_unique_id1', 'min_length'],
      ['notification_id zero', (b) => (b.notification_id = 0), 'notification_id', 'range'],
      ['check_number empty', (b) => (b.check_number = ''), 'check_number', 'min_length'],
    ],
    () => checkCancel(),
    (body) => validateCheckCancelRequest(body),
  );

  checkCases(
    [
      ['a void reason on a stop', (b) => (b.reason_code = 74), 'reason_code', 'enum'],
      ['participant_id as string', (b) => (b.participant_id = '12345'), 'participant_id', 'type'],
    ],
    () => checkCancel({ reason_code: 77 }),
    (body) => validateCheckStopRequest(body),
  );
});
