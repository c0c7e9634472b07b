import { amountToCents } from '@notifykit/sdk';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { InvalidRequest } from '../errors.js';
import { disbursementIdParams } from './query-schemas.js';

// Query strings, path parameters and action bodies, checked against the API's zod schemas and turned into the values
// the handlers use. Every refusal is an InvalidRequest naming the parameter, never echoing its value.

function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: 'invalid_query' | 'invalid_id' | 'validation_failed',
  what: string,
): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message:
      i.code === 'unrecognized_keys' ? `unknown ${what}: ${(i as { keys: string[] }).keys.join(', ')}` : i.message,
  }));
  throw new InvalidRequest(
    code,
    `invalid ${what}: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`,
    { issues },
  );
}

export function parseQuery<S extends z.ZodType>(schema: S, request: FastifyRequest): z.infer<S> {
  return parseWith(schema, request.query, 'invalid_query', 'query parameter');
}

/** An action's JSON body (http/body-schemas.ts); a refusal is `validation_failed` naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, request: FastifyRequest): z.infer<S> {
  return parseWith(schema, request.body, 'validation_failed', 'body');
}

export function disbursementIdOf(request: FastifyRequest): string {
  return parseWith(disbursementIdParams, request.params, 'invalid_id', 'path parameter').id;
}

export function toMillis(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new InvalidRequest('invalid_query', `invalid query parameter: ${name} is not a real date`);
  return ms;
}

export function toCents(value: string | undefined): number | undefined {
  return value === undefined ? undefined : amountToCents(value);
}

export function toLimit(value: string | undefined): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (n < 1 || n > 200) {
    throw new InvalidRequest('invalid_query', 'invalid query parameter: limit must be between 1 and 200');
  }
  return n;
}
