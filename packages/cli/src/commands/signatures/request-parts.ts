// The parts of a gateway request that `sign` and `verify-request` read from flags: the body (inline or a
// file, bytes as they are) and `Name: value` headers.
import { readFileSync } from 'node:fs';
import { usageError } from '../../cli-error.js';

export function bodyOf(opts: { body?: string; bodyFile?: string }): string | Buffer {
  if (opts.body !== undefined && opts.bodyFile !== undefined)
    throw usageError('pass either --body or --body-file, not both');
  if (opts.bodyFile === undefined) return opts.body ?? '';
  try {
    return readFileSync(opts.bodyFile);
  } catch (error) {
    throw usageError(`cannot read --body-file ${opts.bodyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export function headersOf(specs: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const spec of specs) {
    const colon = spec.indexOf(':');
    if (colon <= 0) throw usageError(`--header "${spec}" must be "Name: value"`);
    headers[spec.slice(0, colon).trim().toLowerCase()] = spec.slice(colon + 1).trim();
  }
  return headers;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
