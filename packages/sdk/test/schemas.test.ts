import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IngoApiError, ResponseParseError, ValidationError } from '../src/errors.js';
import {
  cancelRequestSchema,
  DEFAULT_PROGRAM_RULES,
  LANGUAGES,
  managedStageRequestSchema,
  type ProgramRules,
  parseCancelResponse,
  parseManagedStageResponse,
  parseStageResponse,
  stageRequestSchema,
  toValidationIssues,
  validateCancelRequest,
  validateManagedStageRequest,
  validateStageRequest,
} from '../src/schemas.js';
import { exampleCancel, exampleManagedParty, exampleManagedStage, exampleStage } from './support/example-requests.js';

// Tests poke at arbitrary depths of deliberately broken bodies and generated JSON Schemas.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Body = Record<string, any>;
type Case = [name: string, mutate: (body: Body) => void, path: string, rule: string];

function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

function failureOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, validation passed');
}

/** Runs a table of one-mutation cases and checks path, rule and that no submitted value is echoed. */
function checkCases(cases: Case[], base: () => Body, validate: (body: unknown) => unknown): void {
  it.each(cases)('%s', (_name, mutate, path, rule) => {
    const body = base();
    mutate(body);
    const error = failureOf(() => validate(body));
    expect(error.issues).toContainEqual(expect.objectContaining({ path, rule }));
    const said = error.message + JSON.stringify(error.issues);
    for (const leaf of stringLeaves(body).filter((s) => s.length >= 4)) expect(said).not.toContain(leaf);
  });
}

const long = (n: number, ch = 'x') => ch.repeat(n);

describe('v3 stage schema (ingo-api.md §3)', () => {
  it('accepts the example request and returns it with unknown fields dropped', () => {
    const body = { ...exampleStage(), extra_field: 'ignored' };
    const parsed = validateStageRequest(body);
    expect(parsed).toEqual(exampleStage());
  });

  it.each<[string, Body]>([
    ['a business recipient', { recipient: { business_name: 'Acme LLC', email: 'ap@acme.example' } }],
    [
      'the minimal request',
      {
        recipient: { first_name: 'J', last_name: 'D', email: 'j@d.example' },
        participant_unique_id2: undefined,
        tracer_id: undefined,
        notification_records: undefined,
        language: undefined,
        document_url: undefined,
        workflow_id: undefined,
      },
    ],
    ['blank optional contact fields', { recipient: { ...exampleStage().recipient, phone: '', mobile: '', zip: '' } }],
    ['ZIP+4', { recipient: { ...exampleStage().recipient, zip: '78701-1234' } }],
    ['a 10-character amount', { amount: '1234567.89' }],
    ['an amount without decimals', { amount: '5' }],
    ['20 authentication records', { authentication_records: Array(20).fill(exampleStage().authentication_records[0]) }],
    ['names of 150 characters', { recipient: { first_name: long(150), last_name: long(150), email: 'a@b.example' } }],
    [
      'ids at their maximum length',
      { participant_unique_id1: long(100), participant_unique_id2: long(100), tracer_id: long(254) },
    ],
  ])('accepts %s', (_name, overrides) => {
    expect(() => validateStageRequest(exampleStage(overrides))).not.toThrow();
  });

  it('accepts every listed language', () => {
    for (const language of LANGUAGES) expect(() => validateStageRequest(exampleStage({ language }))).not.toThrow();
  });

  checkCases(
    [
      ['participant_id missing', (b) => delete b.participant_id, 'participant_id', 'required'],
      ['participant_id as string', (b) => (b.participant_id = '12345'), 'participant_id', 'type'],
      ['participant_id fractional', (b) => (b.participant_id = 1.5), 'participant_id', 'type'],
      ['amount missing', (b) => delete b.amount, 'amount', 'required'],
      ['amount as number', (b) => (b.amount = 125.5), 'amount', 'type'],
      ['amount zero', (b) => (b.amount = '0.00'), 'amount', 'range'],
      ['amount negative', (b) => (b.amount = '-1.00'), 'amount', 'format'],
      ['amount 3 decimals', (b) => (b.amount = '1.234'), 'amount', 'format'],
      ['amount exponent', (b) => (b.amount = '1e3'), 'amount', 'format'],
      ['amount words', (b) => (b.amount = 'PLANTED-AMOUNT'), 'amount', 'format'],
      ['amount 11 characters', (b) => (b.amount = '12345678.00'), 'amount', 'max_length'],
      ['workflow_id as string', (b) => (b.workflow_id = '1'), 'workflow_id', 'type'],
      ['participant_unique_id1 missing', (b) => delete b.participant_unique_id1, 'participant_unique_id1', 'required'],
      ['participant_unique_id1 empty', (b) => (b.participant_unique_id1 = ''), 'participant_unique_id1', 'min_length'],
      [
        'participant_unique_id1 101',
        (b) => (b.participant_unique_id1 = long(101, 'q')),
        'participant_unique_id1',
        'max_length',
      ],
      [
        'participant_unique_id2 101',
        (b) => (b.participant_unique_id2 = long(101, 'q')),
        'participant_unique_id2',
        'max_length',
      ],
      ['tracer_id 255', (b) => (b.tracer_id = long(255, 't')), 'tracer_id', 'max_length'],
      ['recipient missing', (b) => delete b.recipient, 'recipient', 'required'],
      ['recipient not an object', (b) => (b.recipient = 'PLANTED-RECIPIENT'), 'recipient', 'type'],
      ['both name forms', (b) => (b.recipient.business_name = 'Acme LLC'), 'recipient.business_name', 'one_of'],
      [
        'no name at all',
        (b) => {
          delete b.recipient.first_name;
          delete b.recipient.last_name;
        },
        'recipient.first_name',
        'one_of',
      ],
      ['first name only', (b) => delete b.recipient.last_name, 'recipient.last_name', 'required'],
      ['last name only', (b) => delete b.recipient.first_name, 'recipient.first_name', 'required'],
      ['first_name empty', (b) => (b.recipient.first_name = ''), 'recipient.first_name', 'min_length'],
      ['last_name 151', (b) => (b.recipient.last_name = long(151, 'n')), 'recipient.last_name', 'max_length'],
      [
        'business_name 151',
        (b) => {
          b.recipient = { business_name: long(151, 'b'), email: 'a@b.example' };
        },
        'recipient.business_name',
        'max_length',
      ],
      ['email missing', (b) => delete b.recipient.email, 'recipient.email', 'required'],
      ['email malformed', (b) => (b.recipient.email = 'PLANTED-not-an-email'), 'recipient.email', 'format'],
      ['mobile with dashes', (b) => (b.recipient.mobile = '512-555-0100'), 'recipient.mobile', 'format'],
      ['phone too short', (b) => (b.recipient.phone = '55501'), 'recipient.phone', 'format'],
      ['phone as number', (b) => (b.recipient.phone = 5125550101), 'recipient.phone', 'type'],
      ['state spelled out', (b) => (b.recipient.state = 'Texas'), 'recipient.state', 'format'],
      ['zip 4 digits', (b) => (b.recipient.zip = '7870'), 'recipient.zip', 'format'],
      ['zip truncated ZIP+4', (b) => (b.recipient.zip = '78701-12'), 'recipient.zip', 'format'],
      ['authentication_records missing', (b) => delete b.authentication_records, 'authentication_records', 'required'],
      ['authentication_records empty', (b) => (b.authentication_records = []), 'authentication_records', 'min_items'],
      [
        'authentication_records 21',
        (b) => (b.authentication_records = Array(21).fill(b.authentication_records[0])),
        'authentication_records',
        'max_items',
      ],
      [
        'record field_label missing',
        (b) => delete b.authentication_records[0].field_label,
        'authentication_records.0.field_label',
        'required',
      ],
      [
        'record field_order as string',
        (b) => (b.authentication_records[0].field_order = '1'),
        'authentication_records.0.field_order',
        'type',
      ],
      [
        'record validation_type 4',
        (b) => (b.authentication_records[0].validation_type = 4),
        'authentication_records.0.validation_type',
        'enum',
      ],
      [
        'record match_failure_type 3',
        (b) => (b.authentication_records[0].match_failure_type = 3),
        'authentication_records.0.match_failure_type',
        'enum',
      ],
      [
        'record client_provided_value missing',
        (b) => delete b.authentication_records[0].client_provided_value,
        'authentication_records.0.client_provided_value',
        'required',
      ],
      [
        'record client_provided_value empty',
        (b) => (b.authentication_records[0].client_provided_value = ''),
        'authentication_records.0.client_provided_value',
        'min_length',
      ],
      [
        'record client_provided_value as number',
        (b) => (b.authentication_records[0].client_provided_value = 123456789),
        'authentication_records.0.client_provided_value',
        'type',
      ],
      [
        'notification record without label',
        (b) => delete b.notification_records[0].field_label,
        'notification_records.0.field_label',
        'required',
      ],
      ['notification_records not an array', (b) => (b.notification_records = {}), 'notification_records', 'type'],
      ['language unknown', (b) => (b.language = 'PLANTED-LANG'), 'language', 'enum'],
      ['document_url http', (b) => (b.document_url = 'http://example.com/PLANTED.pdf'), 'document_url', 'format'],
      ['document_url not a URL', (b) => (b.document_url = 'PLANTED not a url'), 'document_url', 'format'],
      ['workflow_id fractional', (b) => (b.workflow_id = 1.5), 'workflow_id', 'type'],
      ['tracer_id as number', (b) => (b.tracer_id = 77), 'tracer_id', 'type'],
      ['participant_unique_id2 as number', (b) => (b.participant_unique_id2 = 7), 'participant_unique_id2', 'type'],
      ['customer_id as number', (b) => (b.recipient.customer_id = 42), 'recipient.customer_id', 'type'],
      ['address1 as number', (b) => (b.recipient.address1 = 100), 'recipient.address1', 'type'],
      ['address2 as number', (b) => (b.recipient.address2 = 200), 'recipient.address2', 'type'],
      ['city as number', (b) => (b.recipient.city = 1), 'recipient.city', 'type'],
      [
        'business_name empty',
        (b) => {
          b.recipient = { business_name: '', email: 'a@b.example' };
        },
        'recipient.business_name',
        'min_length',
      ],
      [
        'record field_label empty',
        (b) => (b.authentication_records[0].field_label = ''),
        'authentication_records.0.field_label',
        'min_length',
      ],
      [
        'record field_order missing',
        (b) => delete b.authentication_records[0].field_order,
        'authentication_records.0.field_order',
        'required',
      ],
      [
        'record validation_type missing',
        (b) => delete b.authentication_records[0].validation_type,
        'authentication_records.0.validation_type',
        'required',
      ],
      [
        'record match_failure_type missing',
        (b) => delete b.authentication_records[0].match_failure_type,
        'authentication_records.0.match_failure_type',
        'required',
      ],
      [
        'record value_format as number',
        (b) => (b.authentication_records[0].value_format = 1234),
        'authentication_records.0.value_format',
        'type',
      ],
      [
        'notification record value as number',
        (b) => (b.notification_records[0].client_provided_value = 555),
        'notification_records.0.client_provided_value',
        'type',
      ],
      [
        'notification record without value',
        (b) => delete b.notification_records[0].client_provided_value,
        'notification_records.0.client_provided_value',
        'required',
      ],
    ],
    () => exampleStage(),
    (body) => validateStageRequest(body),
  );

  it('rejects a body that is not an object at the root', () => {
    const error = failureOf(() => validateStageRequest('PLANTED'));
    expect(error.issues).toEqual([{ path: '', rule: 'type', message: 'must be an object' }]);
  });

  it('reports every failing field at once, each with a message naming no value', () => {
    const body = exampleStage({ amount: '0', participant_unique_id1: '' }) as Body;
    body.recipient.email = 'nope';
    body.recipient.business_name = 'Acme';
    const error = failureOf(() => validateStageRequest(body));
    expect(error.issues.map((i) => `${i.path}/${i.rule}`).sort()).toEqual(
      [
        'amount/range',
        'participant_unique_id1/min_length',
        'recipient.business_name/one_of',
        'recipient.email/format',
      ].sort(),
    );
    expect(error.message).toMatch(/^Invalid stage request: /);
    expect(error.code).toBe('ERR_VALIDATION');
  });

  describe('program rules', () => {
    const otac: Partial<ProgramRules> = { otac: true };

    it('OTAC: authentication_records become optional and mobile required', () => {
      const body = exampleStage();
      delete (body as Body).authentication_records;
      expect(() => validateStageRequest(body, otac)).not.toThrow();
      expect(() => validateStageRequest({ ...body, authentication_records: [] }, otac)).not.toThrow();
      delete (body.recipient as Body).mobile;
      const error = failureOf(() => validateStageRequest(body, otac));
      expect(error.issues).toEqual([expect.objectContaining({ path: 'recipient.mobile', rule: 'required' })]);
      const blank = failureOf(() =>
        validateStageRequest({ ...body, recipient: { ...body.recipient, mobile: '' } }, otac),
      );
      expect(blank.issues).toEqual([expect.objectContaining({ path: 'recipient.mobile', rule: 'format' })]);
    });

    it('requireEmail false: email may be absent or blank but must be valid when given', () => {
      const body = exampleStage();
      delete (body.recipient as Body).email;
      expect(() => validateStageRequest(body, { requireEmail: false })).not.toThrow();
      expect(() =>
        validateStageRequest({ ...body, recipient: { ...body.recipient, email: '' } }, { requireEmail: false }),
      ).not.toThrow();
      const bad = failureOf(() =>
        validateStageRequest({ ...body, recipient: { ...body.recipient, email: 'x@' } }, { requireEmail: false }),
      );
      expect(bad.issues).toEqual([expect.objectContaining({ path: 'recipient.email', rule: 'format' })]);
    });

    it('strictContact false: free-form phone, state and zip', () => {
      const body = exampleStage();
      body.recipient = {
        ...body.recipient,
        phone: '(512) 555-0101',
        mobile: '+1 512 555 0100',
        state: 'Texas',
        zip: 'A1B 2C3',
      };
      expect(() => validateStageRequest(body, { strictContact: false })).not.toThrow();
      expect(() => validateStageRequest(body)).toThrow(ValidationError);
    });

    it('defaults are email required, no OTAC, strict contact', () => {
      expect(DEFAULT_PROGRAM_RULES).toEqual({ otac: false, requireEmail: true, strictContact: true });
      expect(stageRequestSchema()).toBe(stageRequestSchema(DEFAULT_PROGRAM_RULES));
      expect(stageRequestSchema({ otac: true })).not.toBe(stageRequestSchema());
      expect(managedStageRequestSchema({ requireEmail: true })).toBe(managedStageRequestSchema());
      expect(managedStageRequestSchema({ otac: true })).toBe(managedStageRequestSchema({ otac: true }));
    });
  });
});

describe('v3 cancel schema (ingo-api.md §4)', () => {
  it.each<[string, Body]>([
    ['a person', {}],
    ['a business', { first_name: undefined, last_name: undefined, business_name: 'Acme LLC' }],
    ['all optional fields', { notification_id: 9876543, customer_id: 'c-1', participant_unique_id2: 'b-7' }],
    ['a 254-character id', { participant_unique_id1: long(254) }],
  ])('accepts %s', (_name, overrides) => {
    expect(() => validateCancelRequest(exampleCancel(overrides))).not.toThrow();
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

describe('v4 managed stage schema (ingo-api.md §5)', () => {
  it('accepts the example, 5 approvers and an interested party without authentication', () => {
    expect(() => validateManagedStageRequest(exampleManagedStage())).not.toThrow();
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
        'authentication item validation_type 9',
        (b) => (b.transaction_parties[0].authentication[0].validation_type = 9),
        'transaction_parties.0.authentication.0.validation_type',
        'enum',
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

describe('toValidationIssues', () => {
  it('tells a missing field from a wrong type even without the input (plain safeParse)', () => {
    const result = stageRequestSchema().safeParse({ participant_id: null });
    expect(result.success).toBe(false);
    const issues = toValidationIssues(result.error!);
    expect(issues).toContainEqual(expect.objectContaining({ path: 'participant_id', rule: 'type' }));
    expect(issues).toContainEqual(expect.objectContaining({ path: 'amount', rule: 'required' }));
  });

  it('never repeats a value that a foreign message echoes', () => {
    const error = new z.ZodError([
      { code: 'custom', path: ['recipient', 'email'], message: 'bad value PLANTED-ECHO@example.com', input: undefined },
    ]);
    const issues = toValidationIssues(error, { recipient: { email: 'PLANTED-ECHO@example.com' } });
    expect(issues).toEqual([{ path: 'recipient.email', rule: 'invalid', message: 'fails the invalid rule' }]);
  });
});

describe('JSON Schema (for the sandbox OpenAPI document)', () => {
  it('converts every request schema in both directions', () => {
    for (const schema of [
      stageRequestSchema(),
      stageRequestSchema({ otac: true, requireEmail: false, strictContact: false }),
      cancelRequestSchema,
      managedStageRequestSchema(),
    ]) {
      for (const io of ['input', 'output'] as const) {
        const json = z.toJSONSchema(schema, { io }) as Body;
        expect(json.type).toBe('object');
      }
    }
  });

  it('carries the rules a JSON Schema can express', () => {
    const json = z.toJSONSchema(stageRequestSchema(), { io: 'input' }) as Body;
    expect(json.required).toEqual(
      expect.arrayContaining([
        'participant_id',
        'amount',
        'participant_unique_id1',
        'recipient',
        'authentication_records',
      ]),
    );
    expect(json.properties.amount).toMatchObject({ type: 'string', maxLength: 10 });
    expect(json.properties.participant_unique_id1).toMatchObject({ minLength: 1, maxLength: 100 });
    expect(json.properties.language.enum).toHaveLength(LANGUAGES.length);
    expect(json.properties.recipient.required).toContain('email');
    expect(json.properties.recipient.properties.phone.pattern).toBeDefined();
    expect(json.properties.authentication_records).toMatchObject({ minItems: 1, maxItems: 20 });
    expect(json.properties.authentication_records.items.properties.validation_type.enum).toEqual([1, 2, 3]);
    const otac = z.toJSONSchema(stageRequestSchema({ otac: true }), { io: 'input' }) as Body;
    expect(otac.required).not.toContain('authentication_records');
    expect(otac.properties.recipient.required).toContain('mobile');
    const managed = z.toJSONSchema(managedStageRequestSchema(), { io: 'input' }) as Body;
    expect(managed.properties.transaction.properties.notify_type.enum).toEqual([0]);
  });
});

describe('response parsing (ingo-api.md §2 drift)', () => {
  const stageOk = {
    status: 100,
    client_message: 'Success',
    data: {
      notification_id: 9876543,
      tracer_id: 'trc-1',
      participant_unique_id1: 'pay-1',
      participant_unique_id2: '',
      request_timestamp: 1700000000,
    },
    time: '0.85',
  };

  it('parses the documented stage success', () => {
    expect(parseStageResponse(stageOk)).toEqual({
      status: 100,
      clientMessage: 'Success',
      notificationId: '9876543',
      tracerId: 'trc-1',
      participantUniqueId1: 'pay-1',
      participantUniqueId2: '',
      requestTimestamp: 1700000000,
      time: '0.85',
      idempotentReplay: false,
      raw: stageOk,
    });
  });

  it('tolerates status, notification_id, time and participant_unique_id2 of either JSON type', () => {
    const drifted = {
      ...stageOk,
      status: '101',
      time: 0.85,
      data: {
        ...stageOk.data,
        notification_id: '9876543',
        participant_unique_id2: 42,
        request_timestamp: '1700000000',
      },
    };
    const result = parseStageResponse(JSON.stringify(drifted));
    expect(result).toMatchObject({
      status: 101,
      notificationId: '9876543',
      participantUniqueId2: '42',
      requestTimestamp: 1700000000,
      time: '0.85',
      idempotentReplay: true,
    });
  });

  it('throws IngoApiError for a business error and ResponseParseError for a non-envelope', () => {
    const refused = (() => {
      try {
        parseStageResponse(
          { status: '600', client_message: 'amount: must be greater than 0', data: {} },
          { httpStatus: 400, requestId: 'rid-1' },
        );
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(IngoApiError);
    expect(refused).toMatchObject({ status: 600, family: 'validation', httpStatus: 400, requestId: 'rid-1' });
    expect(() => parseStageResponse({ hello: 'world' })).toThrow(ResponseParseError);
    expect(() => parseStageResponse('<html>')).toThrow(ResponseParseError);
    expect(() => parseStageResponse({ status: 100, client_message: 'Success', data: {} })).toThrow(/notification_id/);
  });

  it('parses a cancel, whose notification_id is a string', () => {
    const result = parseCancelResponse({
      status: 100,
      client_message: 'Disbursement Request Canceled',
      data: {
        notification_id: '9876543',
        participant_unique_id1: 'pay-1',
        tracer_id: 'trc-1',
        request_timestamp: 1745356800,
      },
    });
    expect(result).toMatchObject({
      status: 100,
      notificationId: '9876543',
      tracerId: 'trc-1',
      idempotentReplay: false,
    });
    expect(() => parseCancelResponse({ status: 781, client_message: 'terminal', data: {} })).toThrow(
      expect.objectContaining({ family: 'state' }),
    );
  });

  it('parses the managed stage response with its stringly status', () => {
    const body = {
      request: { participant_id: 12345, timestamp: 1745356800 },
      response: { status: '100', message: 'Success', duration: '0' },
      transaction: {
        participant_unique_ids: { participant_unique_id1: 'mp-1', participant_unique_id2: 7 },
        notification_id: 9876543,
        tracer_id: 'trc-9',
        parties: [{ client_provided_id: 'party-001', party_id: 'uuid-1', role: '0' }],
      },
    };
    expect(parseManagedStageResponse(body)).toEqual({
      status: 100,
      message: 'Success',
      notificationId: '9876543',
      tracerId: 'trc-9',
      participantUniqueIds: { participantUniqueId1: 'mp-1', participantUniqueId2: '7' },
      parties: [{ clientProvidedId: 'party-001', partyId: 'uuid-1', role: 0 }],
      idempotentReplay: false,
      raw: body,
    });
    expect(() => parseManagedStageResponse({ ...body, response: { status: '610', message: 'velocity' } })).toThrow(
      IngoApiError,
    );
  });
});
