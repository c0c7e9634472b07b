// Signed raw requests, for what IngoClient would refuse to send (failure injection on the wire).

import { signRequest } from '@notifykit/sdk';
import { DEV } from './dev-credentials.js';

export interface RawResponse {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

export async function signedPost(
  baseUrl: string,
  path: string,
  body: unknown,
  options: {
    credential?: { username: string; secret: string };
    /** Change headers after signing (failure injection). */
    tamper?: (headers: Record<string, string>) => void;
    rawBody?: string;
    /** Bytes actually sent, when they must differ from what was signed (failure injection). */
    sendBody?: string;
  } = {},
): Promise<RawResponse> {
  const credential = options.credential ?? DEV;
  const text = options.rawBody ?? JSON.stringify(body);
  const { headers } = signRequest({
    method: 'POST',
    path,
    body: text,
    username: credential.username,
    secret: credential.secret,
  });
  options.tamper?.(headers);
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: options.sendBody ?? text });
  const raw = await response.text();
  return { status: response.status, headers: response.headers, json: raw === '' ? {} : JSON.parse(raw) };
}
