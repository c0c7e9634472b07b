import { InvalidRequest } from '../errors.js';

// NUL (U+0000) is refused at the edge, wherever it sits in a query, a body or a cursor: PostgreSQL
// rejects it in text (error 22021) while SQLite stores it, so letting it through made the same request
// a 500 on one database and a stored value on the other. Refused here, it is one 4xx on both.

const NUL = '\u0000';

/** The path (`recipient.first_name`, `authentication_records.0.field_label`) of the first NUL, if any. */
export function pathOfNul(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path.join('.') || '(root)' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const here = [...path, key];
    if (key.includes(NUL)) return here.join('.');
    const found = pathOfNul(inner, here);
    if (found !== undefined) return found;
  }
  return undefined;
}

const MESSAGE = 'contains a NUL character (U+0000), which is never valid here';

/** Throws the query's 400 (`invalid_query`) naming the parameter. */
export function refuseNulInQuery(query: unknown): void {
  const path = pathOfNul(query);
  if (path !== undefined) {
    throw new InvalidRequest('invalid_query', `invalid query parameter: ${path} ${MESSAGE}`, {
      issues: [{ path, message: MESSAGE }],
    });
  }
}

/** Throws the body's 422 (`validation_failed`) naming the field. */
export function refuseNulInBody(body: unknown): void {
  const path = pathOfNul(body);
  if (path !== undefined) {
    throw new InvalidRequest('validation_failed', `invalid body: ${path} ${MESSAGE}`, {
      issues: [{ path, message: MESSAGE }],
    });
  }
}
