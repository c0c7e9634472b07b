import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../api.js';

// Loading, error and data for one read, with `reload` for live updates. A reload keeps showing the
// previous data (no flash of "Loading…" each time a webhook lands).

export interface Async<T> {
  data: T | undefined;
  error: ApiFailure | Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): Async<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    load()
      .then((value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(e instanceof Error ? e : new Error(String(e)));
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, deps);
  useEffect(() => {
    setData(undefined);
    reload();
  }, deps);
  return { data, error, loading, reload };
}

/** What to show before data arrives: a loading line, or the error and what to do about it. */
export function Pending({ state, what }: { state: Async<unknown>; what: string }) {
  if (state.error) {
    const e = state.error;
    const advice =
      e instanceof ApiFailure && e.status === 404
        ? 'It may have been mistyped; go back to the list.'
        : e instanceof ApiFailure && e.status === 0
          ? 'Check that the server is running.'
          : 'Retry; if it keeps failing, the server log has the details.';
    return (
      <div class="state error" role="alert">
        <p>
          Could not load {what}: {e.message}
        </p>
        <p>{advice}</p>
        <button type="button" onClick={state.reload}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <p class="state" aria-busy="true">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="state empty">{children}</div>;
}
