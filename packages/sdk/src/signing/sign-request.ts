// Signs a gateway request exactly as docs/ingo-contract.md §1 describes: the HMAC header family of Kong's
// `hmac-auth` plugin, with Ingo's body digest.

import { createHash } from 'node:crypto';
import { ConfigurationError } from '../errors.js';
import {
  type Body,
  buildSigningString,
  DEFAULT_SIGNED_HEADERS,
  hmacBase64,
  type SigningAlgorithm,
} from './signing-string.js';

export interface SignRequestInput {
  method: string;
  /** Request target exactly as sent: path with its percent-encoding and `?query`, no host. */
  path: string;
  body: Body;
  username: string;
  secret: string;
  algorithm?: SigningAlgorithm;
  /** Signing time; defaults to now. A string must already be an IMF-fixdate. */
  date?: Date | string;
  /** The `headers=` list, in the order to sign; defaults to {@link DEFAULT_SIGNED_HEADERS}. */
  headers?: readonly string[];
  /** HTTP version of the request line; Node's fetch speaks 1.1. */
  httpVersion?: string;
}

export interface SignedRequest {
  /** `X-Date`, `Content-Type`, `Content-sha512`, `Content-Length`, `Authorization`. */
  headers: Record<string, string>;
  signingString: string;
}

const DEFAULT_HEADER_LIST = DEFAULT_SIGNED_HEADERS.join(' ');
const SAFE_USERNAME = /^[^"\s]+$/;

/** Signs a gateway request exactly as docs/ingo-contract.md §1 describes. */
export function signRequest(input: SignRequestInput): SignedRequest {
  const algorithm = input.algorithm ?? 'hmac-sha512';
  if (algorithm !== 'hmac-sha512' && algorithm !== 'hmac-sha256') {
    throw new ConfigurationError(
      `Unsupported signing algorithm "${String(algorithm)}": Ingo accepts hmac-sha512 (and hmac-sha256 for legacy integrations)`,
      'ERR_UNSUPPORTED_ALGORITHM',
    );
  }
  if (typeof input.username !== 'string' || !SAFE_USERNAME.test(input.username)) {
    throw new ConfigurationError('username must be a non-empty string without quotes or spaces', 'ERR_CONFIGURATION');
  }
  if (typeof input.secret !== 'string' || input.secret === '') {
    throw new ConfigurationError('secret must be a non-empty string', 'ERR_CONFIGURATION');
  }
  // Hash the string directly rather than copying it into a Buffer first: this is the hot path.
  const body = input.body;
  const hash = createHash('sha512');
  let length: number;
  if (typeof body === 'string') {
    hash.update(body, 'utf8');
    length = Buffer.byteLength(body, 'utf8');
  } else {
    hash.update(body);
    length = body.byteLength;
  }
  const digest = hash.digest('base64');
  const date =
    input.date === undefined
      ? new Date().toUTCString()
      : typeof input.date === 'string'
        ? input.date
        : input.date.toUTCString();
  const contentLength = String(length);
  const requestLine = `${input.method.toUpperCase()} ${input.path} HTTP/${input.httpVersion ?? '1.1'}`;

  let signingString: string;
  let headerList: string;
  if (input.headers === undefined) {
    signingString = `${requestLine}\nx-date: ${date}\ncontent-type: application/json\ncontent-sha512: ${digest}\ncontent-length: ${contentLength}`;
    headerList = DEFAULT_HEADER_LIST;
  } else {
    const values: Record<string, string> = {
      'x-date': date,
      'content-type': 'application/json',
      'content-sha512': digest,
      'content-length': contentLength,
    };
    for (const n of input.headers) {
      const lower = n.toLowerCase();
      if (lower !== 'request-line' && !Object.hasOwn(values, lower)) {
        throw new ConfigurationError(
          `Cannot sign header "${n}": signRequest only produces ${Object.keys(values).join(', ')}`,
        );
      }
    }
    signingString = buildSigningString(input.headers, requestLine, (n) => values[n]);
    headerList = input.headers.join(' ');
  }
  const signature = hmacBase64(algorithm, input.secret, signingString);
  return {
    headers: {
      'X-Date': date,
      'Content-Type': 'application/json',
      'Content-sha512': digest,
      'Content-Length': contentLength,
      Authorization: `hmac username="${input.username}", algorithm="${algorithm}", headers="${headerList}", signature="${signature}"`,
    },
    signingString,
  };
}
