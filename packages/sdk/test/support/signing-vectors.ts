// The shared request-signing vectors (fixtures/signing-vector.json), typed once for every test that
// must reproduce them byte for byte: the signer, the verifier, the CLI and the packed builds.

import { readFileSync } from 'node:fs';

export interface SigningVector {
  name: string;
  username: string;
  secret: string;
  method: string;
  path: string;
  x_date: string;
  body: string;
  headers_list: string;
  algorithm: 'hmac-sha512';
  content_sha512: string;
  content_length: string;
  /** Given for some vectors only; the tests check that at least one has it. */
  signing_string?: string;
  signature: string;
  authorization?: string;
}

export const signingVectorFile = JSON.parse(
  readFileSync(new URL('../fixtures/signing-vector.json', import.meta.url), 'utf8'),
) as { vectors: SigningVector[] };
