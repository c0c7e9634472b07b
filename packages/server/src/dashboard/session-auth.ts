import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Forbidden, RateLimited, Unauthorized } from '../errors.js';
import type { RequestAuthenticator } from '../http/api-scope.js';
import {
  type AccessRole,
  type ApiTokens,
  createBearerTokenCheck,
  createTokenRoleLookup,
} from '../http/api-token-auth.js';
import { parseBody } from '../http/request-parsing.js';
import { type Session, SessionStore } from './sessions.js';
import { SignInLimiter } from './sign-in-limiter.js';

// Signing in to the dashboard: an API token (operator or read-only) is exchanged for an http-only,
// SameSite=Strict session cookie; every state-changing request made with that cookie must carry the
// session's CSRF token in `X-CSRF-Token`. The same cookie opens `/api/v1` to the dashboard, so the
// dashboard acts through the public API and its rules (the read-only role's 403 included).

export const SESSION_COOKIE = 'notifykit_session';
export const CSRF_HEADER = 'x-csrf-token';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const signInBody = z.strictObject({
  token: z.string({ error: 'is required' }).min(1, { error: 'is required' }).max(512, { error: 'is too long' }),
});

function cookieFrom(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class DashboardAuth {
  readonly sessions: SessionStore;
  readonly #roleOf: (token: string) => AccessRole | undefined;
  readonly #bearer: (authorization: string | undefined) => AccessRole;
  readonly #limiter: SignInLimiter;

  constructor(tokens: ApiTokens, options: { sessions?: SessionStore; limiter?: SignInLimiter } = {}) {
    this.sessions = options.sessions ?? new SessionStore();
    this.#roleOf = createTokenRoleLookup(tokens);
    this.#bearer = createBearerTokenCheck(tokens);
    this.#limiter = options.limiter ?? new SignInLimiter();
  }

  /** The live session of the request's cookie, or undefined. */
  sessionOf(request: FastifyRequest): Session | undefined {
    return this.sessions.resolve(cookieFrom(request, SESSION_COOKIE));
  }

  /**
   * The session of a dashboard request, or 401; a state-changing method also needs the CSRF token
   * (403 without it: a page on another site cannot read the token, so it cannot forge the request).
   */
  requireSession(request: FastifyRequest): Session {
    const session = this.sessionOf(request);
    if (session === undefined)
      throw new Unauthorized('sign in to the dashboard first (the session is missing or expired)');
    if (!READ_METHODS.has(request.method) && !this.sessions.csrfMatches(session, headerValue(request, CSRF_HEADER))) {
      throw new Forbidden('missing or wrong X-CSRF-Token header (reload the dashboard)');
    }
    return session;
  }

  /** `/api/v1`'s check: a bearer token when one is sent, else the dashboard session. */
  readonly authenticate: RequestAuthenticator = (request) => {
    if (request.headers.authorization !== undefined || cookieFrom(request, SESSION_COOKIE) === undefined) {
      return this.#bearer(request.headers.authorization);
    }
    return this.requireSession(request).role;
  };

  /** `/dashboard/session`: sign in (POST), who am I (GET), sign out (DELETE). */
  registerRoutes(app: FastifyInstance): void {
    app.post('/dashboard/session', async (request, reply) => {
      const retryAfter = this.#limiter.retryAfterS(request.ip);
      if (retryAfter > 0) {
        void reply.header('retry-after', String(retryAfter));
        throw new RateLimited(`too many sign-in attempts; try again in ${retryAfter} s`, {
          retry_after_s: retryAfter,
        });
      }
      const { token } = parseBody(signInBody, request);
      const role = this.#roleOf(token);
      if (role === undefined) {
        this.#limiter.recordFailure(request.ip);
        throw new Unauthorized('that token is not this server’s API token');
      }
      const { session, cookieValue } = this.sessions.create(role);
      this.#setCookie(request, reply, cookieValue, Math.round((session.absoluteExpiresAt - Date.now()) / 1000));
      return reply.status(201).send(sessionView(session));
    });
    app.get('/dashboard/session', async (request) => sessionView(this.requireSession(request)));
    app.delete('/dashboard/session', async (request, reply) => {
      this.sessions.destroy(this.requireSession(request));
      this.#setCookie(request, reply, '', 0);
      return reply.status(204).send();
    });
  }

  #setCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAgeS: number): void {
    // Secure whenever the page came over https; plain http is for loopback development.
    const secure = request.protocol === 'https' ? '; Secure' : '';
    void reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`,
    );
  }
}

function sessionView(session: Session) {
  return {
    role: session.role,
    csrf_token: session.csrfToken,
    can_act: session.role === 'operator',
    expires_at: new Date(Math.min(session.idleExpiresAt, session.absoluteExpiresAt)).toISOString(),
  };
}
