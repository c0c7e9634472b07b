import { randomBytes } from 'node:crypto';

/** A valid Ingo v3 stage body (participant_id and ids left to the server). */
export function stageBody(
  overrides: { email?: string; amount?: string; puid1?: string; firstName?: string; secretAnswer?: string } = {},
) {
  return {
    amount: overrides.amount ?? '125.00',
    ...(overrides.puid1 !== undefined ? { participant_unique_id1: overrides.puid1 } : {}),
    recipient: {
      first_name: overrides.firstName ?? 'Jane',
      last_name: 'Doe',
      email: overrides.email ?? `jane.${randomBytes(4).toString('hex')}@example.com`,
      mobile: '5125550100',
      address1: '100 Congress Ave',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
    },
    authentication_records: [
      {
        field_label: 'Last 4 SSN',
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        value_format: 'XXXX',
        client_provided_value: overrides.secretAnswer ?? '6789',
      },
    ],
  };
}

/** Failure injection: an Ingo that cannot be reached. */
export const unreachableIngo: typeof fetch = async () => {
  throw new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  });
};

/** The authentication answer of every party in {@link managedBody}: distinctive, so a leak cannot hide. */
export const MANAGED_SECRET_ANSWER = 'cpv-managed-9137';

/** A valid Managed Parties payout for the REST API: a recipient (whose email picks the sandbox scenario) and approvers. */
export function managedBody(
  overrides: { email?: string; approvers?: number; secretAnswer?: string; puid1?: string } = {},
) {
  const authentication_records = [
    {
      field_label: 'Last 4 SSN',
      field_order: 1,
      validation_type: 1,
      match_failure_type: 1,
      value_format: 'XXXX',
      client_provided_value: overrides.secretAnswer ?? MANAGED_SECRET_ANSWER,
    },
  ];
  const party = (role: string, id: string, first: string, email: string) => ({
    role,
    client_provided_id: id,
    first_name: first,
    last_name: 'Doe',
    email,
    phone_mobile: '(512) 555-0100',
    authentication_records,
  });
  return {
    amount: '300.00',
    ...(overrides.puid1 !== undefined ? { participant_unique_id1: overrides.puid1 } : {}),
    sender: { first_name: 'Acme', last_name: 'Payroll', email: 'payroll@example.com' },
    parties: [
      party('recipient', 'recipient', 'Jane', overrides.email ?? `jane.${randomBytes(4).toString('hex')}@example.com`),
      ...Array.from({ length: overrides.approvers ?? 2 }, (_, i) =>
        party('approver', `approver-${i + 1}`, `Approver${i + 1}`, `approver${i + 1}@example.com`),
      ),
    ],
  };
}
