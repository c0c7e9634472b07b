import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exampleManagedStage, exampleStage } from '../../test/support/example-requests.js';
import type { Body } from '../../test/support/validation-cases.js';
import { normalizeManagedStagePhones, normalizeStagePhones, normalizeUsPhone } from './phone.js';
import { validateStageRequest } from './stage.js';

describe('normalizeUsPhone (docs/ingo-contract.md §3: never stricter than Ingo on what the SDK can fix)', () => {
  it.each([
    ['5555550100', '5555550100'],
    ['555-555-0100', '5555550100'],
    ['(555) 555-0100', '5555550100'],
    ['(555)555-0100', '5555550100'],
    ['555.555.0100', '5555550100'],
    ['555 555 0100', '5555550100'],
    ['+1 555 555 0100', '5555550100'],
    ['+1 (555) 555-0100', '5555550100'],
    ['+15555550100', '5555550100'],
    ['1-555-555-0100', '5555550100'],
    ['1 (555) 555-0100', '5555550100'],
    ['  555-555-0100  ', '5555550100'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (spelled, digits) => {
    expect(normalizeUsPhone(spelled)).toBe(digits);
  });

  it.each([
    ['another country code', '+44 20 7946 0958'],
    ['a 10-digit number behind a non-US +', '+5555550100'],
    ['too few digits', '555-0100'],
    ['too many digits', '555-555-01000'],
    ['11 digits not starting with 1', '25555550100'],
    ['an extension', '555-555-0100 x12'],
    ['letters', '1-800-FLOWERS'],
    ['two plus signs', '++1 555 555 0100'],
    ['words', 'call me'],
  ])('refuses %s (%j)', (_what, spelled) => {
    expect(normalizeUsPhone(spelled)).toBeUndefined();
  });

  it('any 10 digits in any of the usual spellings comes back as those digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{10}$/),
        fc.constantFrom(
          (d: string) => d,
          (d: string) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6)}`,
          (d: string) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`,
          (d: string) => `+1 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`,
          (d: string) => `1.${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6)}`,
        ),
        (digits, spell) => {
          expect(normalizeUsPhone(spell(digits))).toBe(digits);
        },
      ),
    );
  });
});

describe('normalizeStagePhones / normalizeManagedStagePhones', () => {
  it('rewrites recipient.mobile and recipient.phone, leaving everything else and the input untouched', () => {
    const body = exampleStage({
      recipient: { ...exampleStage().recipient, mobile: '(512) 555-0100', phone: '+1 512 555 0101' },
    });
    const snapshot = structuredClone(body);
    const normalized = normalizeStagePhones(body) as Body;
    expect(body).toEqual(snapshot);
    expect(normalized).toEqual({
      ...snapshot,
      recipient: { ...snapshot.recipient, mobile: '5125550100', phone: '5125550101' },
    });
    expect(() => validateStageRequest(normalized)).not.toThrow();
    // Nothing to change: the very same object comes back.
    const clean = exampleStage();
    expect(normalizeStagePhones(clean)).toBe(clean);
  });

  it('leaves what cannot be a US number for validation to refuse, and non-objects alone', () => {
    const body = exampleStage({ recipient: { ...exampleStage().recipient, mobile: '+44 20 7946 0958', phone: 5 } });
    expect(normalizeStagePhones(body)).toBe(body);
    for (const odd of [null, 'x', 42, [], { recipient: 'x' }]) expect(normalizeStagePhones(odd)).toBe(odd);
  });

  it('does nothing without strict contact rules (free-form numbers are sent as given)', () => {
    const body = exampleStage({ recipient: { ...exampleStage().recipient, mobile: '(512) 555-0100' } });
    expect(normalizeStagePhones(body, { strictContact: false })).toBe(body);
  });

  it('rewrites every v4 party phone_mobile', () => {
    const body = exampleManagedStage() as Body;
    body.transaction_parties[0].contact_telcom.phone_mobile = '512-555-0100';
    body.transaction_parties[1].contact_telcom.phone_mobile = '+1 (512) 555-0199';
    const normalized = normalizeManagedStagePhones(body) as Body;
    expect(normalized.transaction_parties.map((p: Body) => p.contact_telcom.phone_mobile)).toEqual([
      '5125550100',
      '5125550199',
    ]);
    expect(body.transaction_parties[0].contact_telcom.phone_mobile).toBe('512-555-0100');
    const clean = exampleManagedStage();
    expect(normalizeManagedStagePhones(clean)).toBe(clean);
  });
});
