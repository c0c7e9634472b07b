// zod's issues turned into notifykit's ValidationIssues: a dotted path, a stable rule name and a message
// that never contains the submitted value (a `client_provided_value` must not reach an error message).

import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from '../errors.js';

type ZodIssue = z.core.$ZodIssue;

/** Stable rule names used in {@link ValidationIssue.rule}. */
export type ValidationRule =
  | 'required'
  | 'type'
  | 'min_length'
  | 'max_length'
  | 'min_items'
  | 'max_items'
  | 'format'
  | 'enum'
  | 'range'
  | 'one_of'
  | 'count'
  | 'unique'
  | 'unsupported'
  | 'unknown_field'
  | 'invalid';

/** Parameters for a refinement whose issue carries its own rule name and a message we wrote. */
export function ruled(rule: ValidationRule, message: string) {
  return { message, params: { rule } };
}

/** Adds a cross-field issue (from a superRefine) with its rule name and a message we wrote. */
export function addRuleIssue(
  ctx: z.core.$RefinementCtx<unknown>,
  path: readonly (string | number)[],
  rule: ValidationRule,
  message: string,
): void {
  ctx.addIssue({ code: 'custom', path: [...path], message, params: { rule } });
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) return { found: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: current };
}

function stringLeaves(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 6) return out;
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number') out.push(String(value));
  else if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) stringLeaves(inner, out, depth + 1);
  }
  return out;
}

function describeValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 30).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return shown.join(', ') + (values.length > 30 ? ', …' : '');
}

function ruleAndMessage(issue: ZodIssue, missing: boolean): { rule: ValidationRule; message: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return { rule: 'required', message: 'is required' };
      return { rule: 'type', message: `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}` };
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') {
        return { rule: 'min_length', message: n === 1 ? 'must not be empty' : `must be at least ${n} characters` };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { rule: 'min_items', message: `must contain at least ${n} item${n === 1 ? '' : 's'}` };
      }
      return {
        rule: 'range',
        message: issue.inclusive === false ? `must be greater than ${n}` : `must be at least ${n}`,
      };
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return { rule: 'max_length', message: `must be at most ${n} characters` };
      if (issue.origin === 'array' || issue.origin === 'set') {
        return { rule: 'max_items', message: `must contain at most ${n} item${n === 1 ? '' : 's'}` };
      }
      return { rule: 'range', message: issue.inclusive === false ? `must be less than ${n}` : `must be at most ${n}` };
    }
    case 'invalid_value':
      // zod reports an absent literal/enum field as a wrong value; to the caller it is missing.
      if (missing) return { rule: 'required', message: 'is required' };
      return {
        rule: 'enum',
        message:
          issue.values.length === 1
            ? `must be ${describeValues(issue.values)}`
            : `must be one of ${describeValues(issue.values)}`,
      };
    case 'invalid_format':
      // Every format check in this file carries a message we wrote; zod's own wording is the fallback.
      return { rule: 'format', message: issue.message || `must be a valid ${issue.format}` };
    case 'not_multiple_of':
      return { rule: 'format', message: `must be a multiple of ${String(issue.divisor)}` };
    case 'unrecognized_keys':
      return { rule: 'unknown_field', message: `has unknown field(s) ${issue.keys.join(', ')}` };
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return { rule: 'type', message: 'has the wrong type' };
    case 'custom': {
      const rule = (issue.params as { rule?: ValidationRule } | undefined)?.rule ?? 'invalid';
      return { rule, message: issue.message || 'is invalid' };
    }
    default:
      return { rule: 'invalid', message: 'is invalid' };
  }
}

/**
 * Turns a zod error into notifykit's issues: dotted `path`, stable `rule`, and a message that never
 * contains the submitted value. Pass the validated `input` so a missing field is told apart from one
 * of the wrong type without relying on zod's wording.
 */
export function toValidationIssues(error: { issues: readonly ZodIssue[] }, input?: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const issue of error.issues) {
    const at = input === undefined ? undefined : valueAt(input, issue.path);
    const missing =
      at !== undefined
        ? !at.found || at.value === undefined
        : 'input' in issue
          ? issue.input === undefined
          : /received undefined$/.test(issue.message);
    let { rule, message } = ruleAndMessage(issue, missing);
    // Belt and braces: if a message ever contained the value it judges, say less rather than leak it.
    if (at?.found && stringLeaves(at.value).some((leaf) => leaf.length >= 3 && message.includes(leaf))) {
      message = `fails the ${rule} rule`;
    }
    issues.push({ path: issue.path.map(String).join('.'), rule, message });
  }
  return issues;
}

/** Returns the parsed body or throws {@link ValidationError} naming `what`. */
export function validateWith<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new ValidationError(toValidationIssues(result.error, body), what);
}
