// Valid request bodies used as the starting point of tests; each test clones and breaks one thing.

export function exampleStage(overrides: Record<string, unknown> = {}) {
  return {
    participant_id: 12345,
    amount: '125.50',
    workflow_id: 1,
    participant_unique_id1: 'pay-0001',
    participant_unique_id2: 'batch-7',
    tracer_id: 'trc-0001',
    recipient: {
      customer_id: 'cust-42',
      first_name: 'Jane',
      last_name: 'Doe',
      email: 'jane.doe@example.com',
      mobile: '5125550100',
      phone: '5125550101',
      address1: '100 Congress Ave',
      address2: 'Suite 200',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
    },
    authentication_records: [
      {
        field_label: 'Last 4 SSN',
        field_order: 1,
        validation_type: 3,
        match_failure_type: 1,
        value_format: 'XXXX',
        client_provided_value: '6789',
      },
    ],
    notification_records: [{ field_label: 'Claim', client_provided_value: 'CLM-555' }],
    language: 'en-US',
    document_url: 'https://example.com/letter.pdf',
    ...overrides,
  };
}

export function exampleCancel(overrides: Record<string, unknown> = {}) {
  return {
    participant_id: 12345,
    participant_unique_id1: 'pay-0001',
    first_name: 'Jane',
    last_name: 'Doe',
    amount: '125.50',
    tracer_id: 'trc-0001',
    ...overrides,
  };
}

function party(id: string, role: 0 | 1 | 2) {
  return {
    settings: { client_provided_id: id, role, classification: 1, recipient_enabled: role === 0 ? 1 : 0 },
    name_personal: { first_name: `First${id}`, last_name: `Last${id}` },
    contact_telcom: { email: `${id}@example.com`, phone_mobile: '5125550100' },
    contact_address: { address1: '1 Main St', city: 'Austin', state: 'TX', zip: '78701-1234' },
    authentication: [
      {
        field_label: 'Date of birth',
        field_order: 1,
        validation_type: 1,
        match_failure_type: 1,
        value_format: 'MM/DD/YYYY',
        client_provided_value: '01/02/1980',
      },
    ],
    notification: [{ field_label: 'Invoice', client_provided_value: 'INV-1' }],
  };
}

export function exampleManagedParty(id: string, role: 0 | 1 | 2) {
  return party(id, role);
}

export function exampleManagedStage() {
  return {
    request: { participant_id: 12345, timestamp: 1745356800 },
    transaction: {
      transaction_amount: { amount: 125.5, currency_code: 'USD' },
      participant_unique_ids: { participant_unique_id1: 'mp-0001', participant_unique_id2: 'batch-7' },
      workflow_id: 1,
      notify_type: 0,
      sender: {
        name_personal: { first_name: 'Acme', last_name: 'Payroll' },
        contact_telcom: { email: 'payroll@example.com' },
        sender_account: 'acct-1',
      },
      tracer_id: 'trc-mp-1',
    },
    transaction_parties: [party('party-001', 0), party('party-002', 1)],
  };
}
