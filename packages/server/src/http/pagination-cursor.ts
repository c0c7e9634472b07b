import { InvalidRequest } from '../errors.js';

// Cursors are opaque to callers: base64url JSON of the last row's sort key. Keyset pagination keeps
// every page an index range scan, however deep the caller pages.

function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<T extends readonly ('string' | 'number')[]>(
  cursor: string,
  shape: T,
): { [K in keyof T]: T[K] extends 'string' ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidRequest('invalid_cursor', 'cursor is not one this API returned');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== shape.length ||
    parsed.some(
      (v, i) =>
        typeof v !== shape[i] ||
        (typeof v === 'number' && !Number.isSafeInteger(v)) ||
        // PostgreSQL refuses NUL in text; no cursor this API returns holds one.
        (typeof v === 'string' && v.includes('\u0000')),
    )
  ) {
    throw new InvalidRequest('invalid_cursor', 'cursor is not one this API returned');
  }
  return parsed as never;
}

/** One page from `limit + 1` rows: the extra row only tells that another page exists. */
export function pageOf<R, V>(rows: R[], limit: number, view: (row: R) => V, sortKey: (row: R) => (string | number)[]) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(view),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(sortKey(last)) : null,
  };
}
