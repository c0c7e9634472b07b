import { describe, expect, it } from 'vitest';
import { exampleManagedParty, exampleManagedStage } from '../../test/support/example-requests.js';
import { type Body, checkCases, failureOf, long } from '../../test/support/validation-cases.js';
import { validateManagedStageRequest } from './managed-stage.js';

describe('v4 managed stage schema (docs/ingo-contract.md §5)', () => {
  it('accepts the example, 5 approvers and an interested party without authentication', () => {
    expect(() => validateManagedStageRequest(exampleManagedStage())).not.toThrow();
    for (const amount of [0.01, 19.99, 0.3, 1234567.89, 250]) {
      const body = exampleManagedStage();
      body.transaction.transaction_amount.amount = amount;
      expect(() => validateManagedStageRequest(body)).not.toThrow();
    }
    const five = exampleManagedStage();
    five.transaction_parties = [
      exampleManagedParty('r', 0),
      ...[1, 2, 3, 4, 5].map((i) => exampleManagedParty(`a${i}`, 1)),
    ];
    expect(() => validateManagedStageRequest(five)).not.toThrow();
    const interested = exampleManagedStage() as Body;
    const watcher = exampleManagedParty('w', 2) as Body;
    delete watcher.authentication;
    interested.transaction_parties.push(watcher);
    expect(() => validateManagedStageRequest(interested)).not.toThrow();
  });

  it('passes fields the SDK does not model through unchanged, at every level', () => {
    const body = exampleManagedStage() as Body;
    body.transaction.reminder_schedule = { days: [3, 7] };
    body.transaction_parties[0].settings.language = 'es-US';
    body.transaction_parties[0].contact_telcom.phone_home = '5125550199';
    body.top_level_extra = 'x';
    expect(validateManagedStageRequest(structuredClone(body))).toEqual(body);
  });

  checkCases(
    [
      ['request missing', (b) => delete b.request, 'request', 'required'],
      ['timestamp missing', (b) => delete b.request.timestamp, 'request.timestamp', 'required'],
      ['timestamp negative', (b) => (b.request.timestamp = -1), 'request.timestamp', 'range'],
      ['participant_id as string', (b) => (b.request.participant_id = '12345'), 'request.participant_id', 'type'],
      [
        'amount zero',
        (b) => (b.transaction.transaction_amount.amount = 0),
        'transaction.transaction_amount.amount',
        'range',
      ],
      [
        'amount negative',
        (b) => (b.transaction.transaction_amount.amount = -5),
        'transaction.transaction_amount.amount',
        'range',
      ],
      [
        'amount as string',
        (b) => (b.transaction.transaction_amount.amount = '125.50'),
        'transaction.transaction_amount.amount',
        'type',
      ],
      [
        'amount with 3 decimals',
        (b) => (b.transaction.transaction_amount.amount = 10.005),
        'transaction.transaction_amount.amount',
        'format',
      ],
      [
        'currency EUR',
        (b) => (b.transaction.transaction_amount.currency_code = 'EUR'),
        'transaction.transaction_amount.currency_code',
        'enum',
      ],
      ['notify_type 1', (b) => (b.transaction.notify_type = 1), 'transaction.notify_type', 'unsupported'],
      ['notify_type 2', (b) => (b.transaction.notify_type = 2), 'transaction.notify_type', 'unsupported'],
      ['notify_type 7', (b) => (b.transaction.notify_type = 7), 'transaction.notify_type', 'enum'],
      ['notify_type missing', (b) => delete b.transaction.notify_type, 'transaction.notify_type', 'required'],
      [
        'participant_unique_id1 101',
        (b) => (b.transaction.participant_unique_ids.participant_unique_id1 = long(101, 'q')),
        'transaction.participant_unique_ids.participant_unique_id1',
        'max_length',
      ],
      ['tracer_id 255', (b) => (b.transaction.tracer_id = long(255, 't')), 'transaction.tracer_id', 'max_length'],
      ['sender missing', (b) => delete b.transaction.sender, 'transaction.sender', 'required'],
      ['no parties', (b) => (b.transaction_parties = []), 'transaction_parties', 'min_items'],
      ['no recipient party', (b) => (b.transaction_parties[0].settings.role = 1), 'transaction_parties', 'count'],
      ['two recipient parties', (b) => (b.transaction_parties[1].settings.role = 0), 'transaction_parties', 'count'],
      [
        'six approvers',
        (b) => b.transaction_parties.push(...[2, 3, 4, 5, 6].map((i) => exampleManagedParty(`a${i}`, 1))),
        'transaction_parties',
        'count',
      ],
      [
        'duplicate client_provided_id',
        (b) => (b.transaction_parties[1].settings.client_provided_id = 'party-001'),
        'transaction_parties.1.settings.client_provided_id',
        'unique',
      ],
      ['role 3', (b) => (b.transaction_parties[1].settings.role = 3), 'transaction_parties.1.settings.role', 'enum'],
      [
        'classification 2',
        (b) => (b.transaction_parties[0].settings.classification = 2),
        'transaction_parties.0.settings.classification',
        'enum',
      ],
      [
        'recipient without authentication',
        (b) => delete b.transaction_parties[0].authentication,
        'transaction_parties.0.authentication',
        'required',
      ],
      [
        'approver with empty authentication',
        (b) => (b.transaction_parties[1].authentication = []),
        'transaction_parties.1.authentication',
        'min_items',
      ],
      [
        'authentication item validation_type 0',
        (b) => (b.transaction_parties[0].authentication[0].validation_type = 0),
        'transaction_parties.0.authentication.0.validation_type',
        'range',
      ],
      [
        'party email missing',
        (b) => delete b.transaction_parties[0].contact_telcom.email,
        'transaction_parties.0.contact_telcom.email',
        'required',
      ],
      [
        'party mobile malformed',
        (b) => (b.transaction_parties[0].contact_telcom.phone_mobile = 'PLANTED-PHONE'),
        'transaction_parties.0.contact_telcom.phone_mobile',
        'format',
      ],
      [
        'party zip malformed',
        (b) => (b.transaction_parties[0].contact_address.zip = '7870'),
        'transaction_parties.0.contact_address.zip',
        'format',
      ],
      [
        'party last name missing',
        (b) => delete b.transaction_parties[0].name_personal.last_name,
        'transaction_parties.0.name_personal.last_name',
        'required',
      ],
      [
        'party first name 151',
        (b) => (b.transaction_parties[0].name_personal.first_name = long(151, 'f')),
        'transaction_parties.0.name_personal.first_name',
        'max_length',
      ],
      ['request.participant_id missing', (b) => delete b.request.participant_id, 'request.participant_id', 'required'],
      ['transaction missing', (b) => delete b.transaction, 'transaction', 'required'],
      [
        'transaction_amount missing',
        (b) => delete b.transaction.transaction_amount,
        'transaction.transaction_amount',
        'required',
      ],
      [
        'currency missing',
        (b) => delete b.transaction.transaction_amount.currency_code,
        'transaction.transaction_amount.currency_code',
        'required',
      ],
      [
        'participant_unique_id1 missing',
        (b) => delete b.transaction.participant_unique_ids.participant_unique_id1,
        'transaction.participant_unique_ids.participant_unique_id1',
        'required',
      ],
      [
        'participant_unique_id1 empty',
        (b) => (b.transaction.participant_unique_ids.participant_unique_id1 = ''),
        'transaction.participant_unique_ids.participant_unique_id1',
        'min_length',
      ],
      [
        'participant_unique_id2 101',
        (b) => (b.transaction.participant_unique_ids.participant_unique_id2 = long(101, 'q')),
        'transaction.participant_unique_ids.participant_unique_id2',
        'max_length',
      ],
      ['workflow_id as string', (b) => (b.transaction.workflow_id = '1'), 'transaction.workflow_id', 'type'],
      [
        'sender name missing',
        (b) => delete b.transaction.sender.name_personal,
        'transaction.sender.name_personal',
        'required',
      ],
      [
        'sender email malformed',
        (b) => (b.transaction.sender.contact_telcom.email = 'PLANTED-SENDER'),
        'transaction.sender.contact_telcom.email',
        'format',
      ],
      ['transaction_parties missing', (b) => delete b.transaction_parties, 'transaction_parties', 'required'],
      [
        'client_provided_id empty',
        (b) => (b.transaction_parties[1].settings.client_provided_id = ''),
        'transaction_parties.1.settings.client_provided_id',
        'min_length',
      ],
      [
        'role missing',
        (b) => delete b.transaction_parties[1].settings.role,
        'transaction_parties.1.settings.role',
        'required',
      ],
      [
        'recipient_enabled 2',
        (b) => (b.transaction_parties[0].settings.recipient_enabled = 2),
        'transaction_parties.0.settings.recipient_enabled',
        'enum',
      ],
      [
        'party email malformed',
        (b) => (b.transaction_parties[0].contact_telcom.email = 'PLANTED-PARTY-EMAIL'),
        'transaction_parties.0.contact_telcom.email',
        'format',
      ],
      [
        'party state spelled out',
        (b) => (b.transaction_parties[0].contact_address.state = 'Texas'),
        'transaction_parties.0.contact_address.state',
        'format',
      ],
      [
        'party authentication 21',
        (b) => (b.transaction_parties[0].authentication = Array(21).fill(b.transaction_parties[0].authentication[0])),
        'transaction_parties.0.authentication',
        'max_items',
      ],
      [
        'party notification without label',
        (b) => delete b.transaction_parties[0].notification[0].field_label,
        'transaction_parties.0.notification.0.field_label',
        'required',
      ],
    ],
    () => exampleManagedStage(),
    (body) => validateManagedStageRequest(body),
  );

  it('OTAC: parties need a mobile, not authentication records', () => {
    const body = exampleManagedStage() as Body;
    for (const p of body.transaction_parties) delete p.authentication;
    expect(() => validateManagedStageRequest(body, { otac: true })).not.toThrow();
    delete body.transaction_parties[1].contact_telcom.phone_mobile;
    const error = failureOf(() => validateManagedStageRequest(body, { otac: true }));
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'transaction_parties.1.contact_telcom.phone_mobile', rule: 'required' }),
    ]);
  });
});
