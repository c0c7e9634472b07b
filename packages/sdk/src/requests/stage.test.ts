import { describe, expect, it } from 'vitest';
import { exampleStage } from '../../test/support/example-requests.js';
import { type Body, checkCases, failureOf, long } from '../../test/support/validation-cases.js';
import { ValidationError } from '../errors.js';
import { LANGUAGES } from './fields.js';
import { managedStageRequestSchema } from './managed-stage.js';
import { DEFAULT_PROGRAM_RULES, type ProgramRules } from './program-rules.js';
import { stageRequestSchema, validateStageRequest } from './stage.js';

describe('v3 stage schema (docs/ingo-contract.md §3)', () => {
  it('accepts the example request and returns it with the fields it does not model passed through', () => {
    const body = { ...exampleStage(), extra_field: 'kept' };
    const parsed = validateStageRequest(body);
    expect(parsed).toEqual(body);
  });

  it('passes unknown fields through unchanged, top level and inside recipient, while known ones stay validated', () => {
    // The stage page documents "an optional URL to a document to be embedded in the notification"
    // without naming it: whatever name the integrator uses reaches Ingo as sent (docs/ingo-contract.md §3).
    const body = exampleStage({
      document_url: 'http://example.com/not-https-is-ingo-s-call.pdf',
      notification_document: { url: 'https://example.com/letter.pdf', kind: 1 },
      recipient: { ...exampleStage().recipient, preferred_name: 'JD', middle_initial: 7 },
    });
    const parsed = validateStageRequest(body) as Body;
    expect(parsed).toEqual(body);
    expect(parsed.recipient.preferred_name).toBe('JD');
    expect(parsed.notification_document).toEqual({ url: 'https://example.com/letter.pdf', kind: 1 });
    // A known field is still checked even next to unknown ones.
    const broken = exampleStage({ surprise: true, recipient: { ...exampleStage().recipient, zip: '1', extra: 1 } });
    expect(failureOf(() => validateStageRequest(broken)).issues).toEqual([
      expect.objectContaining({ path: 'recipient.zip', rule: 'format' }),
    ]);
  });

  it('accepts any positive integer as validation_type and match_failure_type (Ingo configures them per program)', () => {
    for (const value of [1, 2, 3, 4, 9, 42]) {
      const record = { ...exampleStage().authentication_records[0], validation_type: value, match_failure_type: value };
      expect(() => validateStageRequest(exampleStage({ authentication_records: [record] }))).not.toThrow();
    }
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
        'record validation_type 0',
        (b) => (b.authentication_records[0].validation_type = 0),
        'authentication_records.0.validation_type',
        'range',
      ],
      [
        'record validation_type fractional',
        (b) => (b.authentication_records[0].validation_type = 1.5),
        'authentication_records.0.validation_type',
        'type',
      ],
      [
        'record match_failure_type negative',
        (b) => (b.authentication_records[0].match_failure_type = -3),
        'authentication_records.0.match_failure_type',
        'range',
      ],
      [
        'record match_failure_type as string',
        (b) => (b.authentication_records[0].match_failure_type = '2'),
        'authentication_records.0.match_failure_type',
        'type',
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
