import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Body } from '../../test/support/validation-cases.js';
import { cancelRequestSchema } from './cancel.js';
import { LANGUAGES } from './fields.js';
import { managedStageRequestSchema } from './managed-stage.js';
import { stageRequestSchema } from './stage.js';

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
    // Any positive integer (Ingo configures the meanings per program); the sandbox's meanings are described.
    expect(json.properties.authentication_records.items.properties.validation_type).toMatchObject({
      type: 'integer',
      exclusiveMinimum: 0,
    });
    expect(json.properties.authentication_records.items.properties.validation_type.enum).toBeUndefined();
    expect(json.properties.authentication_records.items.properties.validation_type.description).toMatch(/sandbox/);
    // Fields the SDK does not model are allowed, top level and in recipient.
    expect(json.additionalProperties).not.toBe(false);
    expect(json.properties.recipient.additionalProperties).not.toBe(false);
    expect(json.properties.document_url).toBeUndefined();
    const otac = z.toJSONSchema(stageRequestSchema({ otac: true }), { io: 'input' }) as Body;
    expect(otac.required).not.toContain('authentication_records');
    expect(otac.properties.recipient.required).toContain('mobile');
    const managed = z.toJSONSchema(managedStageRequestSchema(), { io: 'input' }) as Body;
    expect(managed.properties.transaction.properties.notify_type.enum).toEqual([0]);
  });
});
