import { describe, expect, it } from 'vitest';
import { SessionStore } from './sessions.js';

describe('SessionStore', () => {
  it('resolves only its own signed cookie values', () => {
    const store = new SessionStore();
    const { session, cookieValue } = store.create('operator');
    expect(store.resolve(cookieValue)?.id).toBe(session.id);
    const [id, signature] = cookieValue.split('.') as [string, string];
    expect(store.resolve(`${id}.${signature.slice(0, -1)}A`)).toBeUndefined();
    expect(store.resolve(id)).toBeUndefined();
    expect(store.resolve(new SessionStore().create('operator').cookieValue)).toBeUndefined();
  });

  it('ends a session after the idle time, pushed back by use, and at the absolute expiry whatever happens', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1000, absoluteMs: 2500 }, () => now);
    const { cookieValue } = store.create('readonly');
    now = 900;
    expect(store.resolve(cookieValue)?.role).toBe('readonly');
    now = 1800;
    expect(store.resolve(cookieValue)).toBeDefined();
    now = 2499;
    expect(store.resolve(cookieValue)).toBeDefined();
    now = 2500;
    expect(store.resolve(cookieValue)).toBeUndefined();
    const idle = store.create('operator').cookieValue;
    now = 3500;
    expect(store.resolve(idle)).toBeUndefined();
  });

  it('checks the CSRF token in constant time and forgets destroyed sessions', () => {
    const store = new SessionStore();
    const { session, cookieValue } = store.create('operator');
    expect(store.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(store.csrfMatches(session, `${session.csrfToken}x`)).toBe(false);
    expect(store.csrfMatches(session, undefined)).toBe(false);
    store.destroy(session);
    expect(store.resolve(cookieValue)).toBeUndefined();
  });
});
