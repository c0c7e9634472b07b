import { useEffect, useState } from 'preact/hooks';
import { ApiFailure, call } from './api.js';
import type { LiveEvent } from './types.js';

// The live connection: one EventSource on `/dashboard/stream`. The browser reconnects by itself and
// sends Last-Event-ID; if it gives up (the server was down long enough to answer an error), a new
// source resumes from the last id seen, so no timeline entry is missed. Pages subscribe to be told
// what changed and re-read what they show.

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline';

type Listener = (event: LiveEvent | 'resync') => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(state: LiveState) => void>();
let source: EventSource | undefined;
let lastId: string | undefined;
let state: LiveState = 'offline';
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let everConnected = false;

function setState(next: LiveState): void {
  state = next;
  for (const l of stateListeners) l(next);
}

export function startLive(): void {
  stopLive();
  setState(everConnected ? 'reconnecting' : 'connecting');
  const url = lastId === undefined ? '/dashboard/stream' : `/dashboard/stream?last_event_id=${lastId}`;
  const es = new EventSource(url);
  source = es;
  es.addEventListener('ready', () => {
    const resumed = everConnected;
    everConnected = true;
    setState('live');
    // Anything could have changed while the page was not listening before the first connection.
    if (resumed) for (const l of listeners) l('resync');
  });
  es.addEventListener('timeline', (message) => {
    const m = message as MessageEvent<string>;
    if (m.lastEventId) lastId = m.lastEventId;
    const event = JSON.parse(m.data) as LiveEvent;
    for (const l of listeners) l(event);
  });
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      setState('offline');
      // The stream may have been refused because the session ended: asking tells the page (a 401
      // signs it out and stops the retries), otherwise try again shortly.
      retryTimer = setTimeout(() => {
        call('GET', '/dashboard/session').then(startLive, (e: unknown) => {
          if (!(e instanceof ApiFailure && e.status === 401)) startLive();
        });
      }, 3000);
    } else {
      setState('reconnecting');
    }
  };
}

export function stopLive(): void {
  if (retryTimer !== undefined) clearTimeout(retryTimer);
  source?.close();
  source = undefined;
}

/** Forget the position (sign-out): the next session starts from now. */
export function resetLive(): void {
  stopLive();
  lastId = undefined;
  everConnected = false;
  setState('offline');
}

export function useLiveState(): LiveState {
  const [value, setValue] = useState(state);
  useEffect(() => {
    stateListeners.add(setValue);
    return () => void stateListeners.delete(setValue);
  }, []);
  return value;
}

/** Calls `onChange` (at most every 300 ms) when a live event passes `filter`, or after a reconnect. */
export function useLiveRefresh(onChange: () => void, filter: (event: LiveEvent) => boolean = () => true): void {
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const listener: Listener = (event) => {
      if (event !== 'resync' && !filter(event)) return;
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        onChange();
      }, 300);
    };
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [onChange, filter]);
}
