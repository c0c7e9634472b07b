// Request signing for every authenticated route (gateway and control API): docs/ingo-contract.md §1.1, enforced
// by the SDK's verifyRequestSignature so the sandbox and the client can never disagree. Failures are
// 401 with `WWW-Authenticate: hmac` and exactly Ingo's `{"message": ...}`.

import { SignatureVerificationError, verifyRequestSignature } from '@notifykit/sdk';
import type { FastifyRequest } from 'fastify';
import type { ResolvedCredential } from '../config/credentials.js';
import type { SandboxContext } from './context.js';
import { SandboxHttpError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The credential whose signature this request carries (set by the signature guard). */
    credential: ResolvedCredential | null;
  }
}

/** The raw bytes received; the parser of server.ts keeps every body as a Buffer. */
export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export interface GuardOptions {
  /** Names that must be signed; the SDK's default (with content-length) when absent. */
  requiredHeaders?: readonly string[];
}

export function signatureGuard(ctx: SandboxContext, options: GuardOptions = {}) {
  const secrets = (username: string) => ctx.credentials.get(username)?.secret;
  return async function verifySignature(request: FastifyRequest): Promise<void> {
    try {
      const verified = verifyRequestSignature(
        {
          method: request.method,
          path: request.raw.url ?? request.url,
          headers: request.headers,
          body: rawBody(request),
          httpVersion: request.raw.httpVersion,
        },
        options.requiredHeaders === undefined ? { secrets } : { secrets, requiredHeaders: options.requiredHeaders },
      );
      request.credential = ctx.credentials.get(verified.username) ?? null;
    } catch (error) {
      if (!(error instanceof SignatureVerificationError)) throw error;
      // The detail says precisely what was wrong; it never contains the secret or the signature.
      request.log.info({ code: error.code, detail: error.detail }, 'request signature refused');
      throw new SandboxHttpError(401, { message: error.message }, { 'www-authenticate': 'hmac' });
    }
  };
}
