// A valid v3 stage body for the dev credential; tests override fields to make it invalid on purpose.

import type { ManagedStageInput, StageRequest } from '@notifykit/sdk';
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

function managedParty(id: string, role: 0 | 1 | 2, email: string) {
  return {
    settings: { client_provided_id: id, role, classification: 1, recipient_enabled: role === 0 ? 1 : 0 },
    name_personal: { first_name: role === 0 ? 'Alex' : `Approver${id}`, last_name: 'Rivera' },
    contact_telcom: { email },
    ...(role === 2
      ? {}
      : {
          authentication: [
            {
              field_label: 'Last 4 SSN',
              field_order: 1,
              validation_type: 1,
              match_failure_type: 1,
              value_format: 'XXXX',
              client_provided_value: CLIENT_PROVIDED_VALUE,
            },
          ],
        }),
  };
}

/** A valid v4 body: one recipient (whose email selects the scenario), `approvers` approvers, optional interested party. */
export function managedStageBody(
  options: { email?: string; approvers?: number; interested?: boolean; amount?: number; puid1?: string } = {},
): ManagedStageInput {
  const approvers = Array.from({ length: options.approvers ?? 2 }, (_, i) =>
    managedParty(`approver-${i + 1}`, 1, `approver${i + 1}@example.com`),
  );
  return {
    transaction: {
      transaction_amount: { amount: options.amount ?? 125.5, currency_code: 'USD' },
      participant_unique_ids: { participant_unique_id1: options.puid1 ?? `mp-${Math.random().toString(36).slice(2)}` },
      notify_type: 0,
      sender: { name_personal: { first_name: 'Acme', last_name: 'Payroll' } },
    },
    transaction_parties: [
      managedParty('recipient', 0, options.email ?? 'alex@example.com'),
      ...approvers,
      ...(options.interested ? [managedParty('watcher', 2, 'watcher@example.com')] : []),
    ],
  } as ManagedStageInput;
}
