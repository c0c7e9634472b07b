import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiFailure, call, type SessionInfo, useSession } from './api.js';
import { type LiveState, resetLive, startLive, useLiveState } from './live.js';
import { OverviewPage } from './pages/overview.js';
import { PayoutDetailPage } from './pages/payout-detail.js';
import { PayoutListPage } from './pages/payout-list.js';
import { SignInPage } from './pages/sign-in.js';
import { StagePage } from './pages/stage.js';
import { type Route, useRoute } from './router.js';

// The shell: nothing but the sign-in form until the server confirms a session; then the navigation,
// the live connection's state, sign-out, and the page the address names.

const LIVE_TEXT: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
};

function LiveIndicator() {
  const state = useLiveState();
  return (
    <output class={`live live-${state}`} aria-live="polite" data-testid="live-state">
      <span class="dot" aria-hidden="true" />
      {LIVE_TEXT[state]}
    </output>
  );
}

function NavLink({ href, label, current }: { href: string; label: string; current: boolean }) {
  return (
    <a href={href} aria-current={current ? 'page' : undefined}>
      {label}
    </a>
  );
}

function Page({ route, session }: { route: Route; session: SessionInfo }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'payouts':
      return <PayoutListPage query={route.query} />;
    case 'payout':
      return <PayoutDetailPage id={route.id} canAct={session.can_act} />;
    case 'stage':
      return <StagePage canAct={session.can_act} />;
  }
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const route = useRoute();
  const signedOut = useCallback(() => {
    resetLive();
    setSession(null);
  }, []);
  useSession(session ?? null, signedOut);

  const load = useCallback(() => {
    setLoadError(null);
    call<SessionInfo>('GET', '/dashboard/session')
      .then(setSession)
      .catch((e: unknown) => {
        if (e instanceof ApiFailure && e.status === 401) setSession(null);
        else setLoadError(e instanceof Error ? e.message : String(e));
      });
  }, []);
  useEffect(load, []);
  useEffect(() => {
    if (session) startLive();
  }, [session]);

  if (loadError !== null) {
    return (
      <main class="centered">
        <h1>notifykit</h1>
        <p role="alert">{loadError}</p>
        <button type="button" onClick={load}>
          Retry
        </button>
      </main>
    );
  }
  if (session === undefined) return <p class="centered">Loading…</p>;
  if (session === null) return <SignInPage onSignedIn={setSession} />;

  const signOut = async () => {
    try {
      await call('DELETE', '/dashboard/session');
    } finally {
      signedOut();
    }
  };
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">notifykit</span>
        <nav aria-label="Main">
          <NavLink href="#/" label="Overview" current={route.page === 'overview'} />
          <NavLink href="#/payouts" label="Payouts" current={route.page === 'payouts' || route.page === 'payout'} />
          {session.can_act && <NavLink href="#/stage" label="Stage a payout" current={route.page === 'stage'} />}
        </nav>
        <LiveIndicator />
        <span class="role">{session.role === 'operator' ? 'Operator' : 'Read-only'}</span>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} session={session} />
      </main>
    </>
  );
}
