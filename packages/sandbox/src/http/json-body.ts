// Turns the raw bytes of a signed request (gateway or control API) into a JSON object, or says exactly
// why not: wrong content type (415), empty body, invalid UTF-8 or JSON, or not an object (400). Each
// route family words the failure its own way; nothing is stored before this has succeeded.

import type { FastifyRequest } from 'fastify';
import { rawBody } from './signature-guard.js';

export type JsonBodyResult =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; httpStatus: 400 | 415; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => !p.startsWith('charset=') || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

export function readJsonObject(request: FastifyRequest): JsonBodyResult {
  if (!isJsonContentType(request.headers['content-type'])) {
    return { ok: false, httpStatus: 415, message: 'Content-Type must be application/json' };
  }
  const bytes = rawBody(request);
  if (bytes.byteLength === 0) return { ok: false, httpStatus: 400, message: 'Request body is empty' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, httpStatus: 400, message: 'Request body is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, httpStatus: 400, message: 'Request body is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, httpStatus: 400, message: 'Request body must be a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
