import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stageRequestSchema } from './stage.js';
import { toValidationIssues } from './validation-issues.js';

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
