// A valid v3 stage body for the dev credential; tests override fields to make it invalid on purpose.

import type { StageRequest } from '@notifykit/sdk';
import { DEV } from './dev-credentials.js';

/** The sensitive answer in test stage requests: distinctive, so a leak cannot hide in a timestamp. */
export const CLIENT_PROVIDED_VALUE = 'cpv-secret-6789';

/** A valid v3 stage body for the dev credential (overrides may make it invalid on purpose). */
export function stageBody(
  overrides: Record<string, unknown> = {},
  recipient: Record<string, unknown> = {},
): StageRequest {
  return {
    participant_id: DEV.participantId,
    amount: '250.00',
    participant_unique_id1: `pay-${Math.random().toString(36).slice(2)}`,
    tracer_id: 'trc-1',
    recipient: { first_name: 'Alex', last_name: 'Rivera', email: 'alex@example.com', ...recipient },
    authentication_records: [
      {
        field_label: 'Last 4 SSN',
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        value_format: 'XXXX',
        client_provided_value: CLIENT_PROVIDED_VALUE,
      },
    ],
    ...overrides,
  } as StageRequest;
}
