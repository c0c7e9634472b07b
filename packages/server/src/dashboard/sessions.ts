import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccessRole } from '../http/api-token-auth.js';

// Dashboard sessions: the browser holds only a random session id, signed with a per-process HMAC key
// (so a forged or truncated cookie is refused before any lookup); the role, the CSRF token and the
// expiry live here, on the server. Sessions are in memory: a restart signs everyone out, and several
// server instances behind one address need sticky sessions (README: "Dashboard").

export interface Session {
  id: string;
  role: AccessRole;
  /** Synchronizer token: every state-changing dashboard request must echo it in `X-CSRF-Token`. */
  csrfToken: string;
  /** Epoch ms; the session ends at the earlier of idle and absolute expiry. */
  idleExpiresAt: number;
  absoluteExpiresAt: number;
}

export interface SessionSettings {
  /** Ends after this long without a request (default 30 minutes). */
  idleMs: number;
  /** Ends this long after sign-in whatever happens (default 12 hours). */
  absoluteMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMs: 30 * 60_000, absoluteMs: 12 * 60 * 60_000 };

const equalText = (a: string, b: string) => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

export class SessionStore {
  readonly #key = randomBytes(32);
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
    private readonly now: () => number = Date.now,
  ) {}

  #sign(id: string): string {
    return createHmac('sha256', this.#key).update(id).digest('base64url');
  }

  /** A new session for `role`; answers it and the cookie value (`id.signature`). */
  create(role: AccessRole): { session: Session; cookieValue: string } {
    this.#sweep();
    const id = randomBytes(24).toString('base64url');
    const at = this.now();
    const session: Session = {
      id,
      role,
      csrfToken: randomBytes(24).toString('base64url'),
      idleExpiresAt: at + this.settings.idleMs,
      absoluteExpiresAt: at + this.settings.absoluteMs,
    };
    this.#sessions.set(id, session);
    return { session, cookieValue: `${id}.${this.#sign(id)}` };
  }

  /** The live session a cookie value names (and its idle expiry pushed back), or undefined. */
  resolve(cookieValue: string | undefined): Session | undefined {
    if (cookieValue === undefined) return undefined;
    const dot = cookieValue.indexOf('.');
    if (dot <= 0) return undefined;
    const id = cookieValue.slice(0, dot);
    if (!equalText(cookieValue.slice(dot + 1), this.#sign(id))) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    const at = this.now();
    if (at >= session.idleExpiresAt || at >= session.absoluteExpiresAt) {
      this.#sessions.delete(id);
      return undefined;
    }
    session.idleExpiresAt = Math.min(at + this.settings.idleMs, session.absoluteExpiresAt);
    return session;
  }

  /** True when `presented` is this session's CSRF token (constant-time). */
  csrfMatches(session: Session, presented: string | undefined): boolean {
    return presented !== undefined && equalText(presented, session.csrfToken);
  }

  destroy(session: Session): void {
    this.#sessions.delete(session.id);
  }

  /** Expired sessions leave the map when new ones are made, so it cannot grow without bound. */
  #sweep(): void {
    const at = this.now();
    for (const [id, s] of this.#sessions) {
      if (at >= s.idleExpiresAt || at >= s.absoluteExpiresAt) this.#sessions.delete(id);
    }
  }
}
