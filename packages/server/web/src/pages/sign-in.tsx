import { useState } from 'preact/hooks';
import { ApiFailure, call, type SessionInfo } from '../api.js';

export function SignInPage({ onSignedIn }: { onSignedIn: (session: SessionInfo) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await call<SessionInfo>('POST', '/dashboard/session', { token }));
    } catch (e) {
      setError(
        e instanceof ApiFailure && e.code === 'unauthorized'
          ? 'That token was not accepted. Use the server’s NOTIFYKIT_API_TOKEN (or NOTIFYKIT_READONLY_TOKEN).'
          : e instanceof Error
            ? e.message
            : String(e),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="centered signin">
      <h1>notifykit operations</h1>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autocomplete="current-password"
          required
          value={token}
          onInput={(e) => setToken(e.currentTarget.value)}
          aria-invalid={error !== null}
        />
        <p class="hint">
          The operator token (NOTIFYKIT_API_TOKEN) can stage and cancel; the read-only token (NOTIFYKIT_READONLY_TOKEN)
          sees everything and changes nothing.
        </p>
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
