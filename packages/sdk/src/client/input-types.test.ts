// The request types are part of the SDK's contract: a request built the natural way — an object literal
// in a variable without a type annotation, so numbers widen to `number` and extra fields stay — must
// type-check against them. These assertions are checked by `npm run typecheck` (this file is compiled
// with the project), and the same objects are then run through validation.

import { describe, expect, expectTypeOf, it } from 'vitest';
import { validateCheckCancelRequest } from '../requests/check.js';
import { normalizeStagePhones } from '../requests/phone.js';
import { validateStageRequest } from '../requests/stage.js';
import type { CheckCancelInput, IngoClient, ManagedStageInput, StageInput } from './ingo-client.js';

describe('request input types', () => {
  it('a stage request built in an unannotated variable type-checks, extra fields included', () => {
    const request = {
      amount: '250.00',
      participant_unique_id1: 'claim-123-payout-1',
      recipient: {
        first_name: 'Alex',
        last_name: 'Rivera',
        email: 'alex@example.com',
        mobile: '(512) 555-0134',
        nickname: 'Al', // not modeled by the SDK: passed through
      },
      authentication_records: [
        {
          field_label: 'Last 4 SSN',
          field_order: 1,
          validation_type: 3, // widened to number: any positive integer is accepted
          match_failure_type: 1,
          value_format: 'XXXX',
          client_provided_value: '6789',
        },
      ],
      notification_document: 'https://example.com/letter.pdf', // not modeled by the SDK: passed through
    };
    expectTypeOf(request).toExtend<StageInput>();
    // What a caller writes compiles as written:
    const send = (ingo: IngoClient) => ingo.notify.stage(request);
    expectTypeOf(send).returns.resolves.toHaveProperty('tracerId').toEqualTypeOf<string>();
    // The client normalizes the phone spelling before validating, as here.
    expect(() => validateStageRequest(normalizeStagePhones({ ...request, participant_id: 12345 }))).not.toThrow();
  });

  it('known fields keep their types', () => {
    type AuthenticationRecord = NonNullable<StageInput['authentication_records']>[number];
    const wrongType: AuthenticationRecord = {
      field_label: 'x',
      field_order: 1,
      // @ts-expect-error validation_type is a number, not a string
      validation_type: '3',
      match_failure_type: 1,
      client_provided_value: 'y',
    };
    // @ts-expect-error amount is a decimal string, not a number
    const wrongAmount: Pick<StageInput, 'amount'> = { amount: 250 };
    expect([wrongType, wrongAmount]).toHaveLength(2);
    expectTypeOf<StageInput['recipient']['email']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<StageInput['tracer_id']>().toEqualTypeOf<string | undefined>();
  });

  it('check and managed inputs accept unannotated variables too', () => {
    const voidCheck = { participant_unique_id1: 'pay-1', tracer_id: 'trc-1', reason_code: 74 };
    expectTypeOf(voidCheck).toExtend<CheckCancelInput>();
    expect(() => validateCheckCancelRequest({ ...voidCheck, participant_id: 12345 })).not.toThrow();
    const party = {
      settings: { client_provided_id: 'party-001', role: 0 as const },
      name_personal: { first_name: 'Alex', last_name: 'Rivera' },
      authentication: [
        { field_label: 'DOB', field_order: 1, validation_type: 1, match_failure_type: 2, client_provided_value: 'x' },
      ],
    };
    expectTypeOf<(typeof party)['authentication']>().toExtend<
      NonNullable<ManagedStageInput['transaction_parties'][number]['authentication']>
    >();
  });
});
