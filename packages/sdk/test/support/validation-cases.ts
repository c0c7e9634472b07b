// Table-driven validation cases: one mutation of a valid body, the field path and rule it must fail
// with, and the promise that no submitted value is echoed back.

import { expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';

// Tests poke at arbitrary depths of deliberately broken bodies and generated JSON Schemas.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Body = Record<string, any>;
export type Case = [name: string, mutate: (body: Body) => void, path: string, rule: string];

export function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

export function failureOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, validation passed');
}

/** Runs a table of one-mutation cases and checks path, rule and that no submitted value is echoed. */
export function checkCases(cases: Case[], base: () => Body, validate: (body: unknown) => unknown): void {
  it.each(cases)('%s', (_name, mutate, path, rule) => {
    const body = base();
    mutate(body);
    const error = failureOf(() => validate(body));
    expect(error.issues).toContainEqual(expect.objectContaining({ path, rule }));
    const said = error.message + JSON.stringify(error.issues);
    for (const leaf of stringLeaves(body).filter((s) => s.length >= 4)) expect(said).not.toContain(leaf);
  });
}

export const long = (n: number, ch = 'x') => ch.repeat(n);
