// The dashboard talks to its own server only: `/dashboard/*` for the session, overview and live
// stream, `/api/v1/*` (the public REST API, with the session cookie) for everything else. Every
// state-changing call carries the session's CSRF token.

export interface SessionInfo {
  role: 'operator' | 'readonly';
  csrf_token: string;
  can_act: boolean;
  expires_at: string;
}

export interface Issue {
  path: string;
  message: string;
}

/** A failed call: the API's `{error: {code, message, details}}`, or a network failure (status 0). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
  }

  get issues(): Issue[] {
    const issues = this.details?.issues;
    return Array.isArray(issues) ? (issues as Issue[]) : [];
  }
}

let csrfToken = '';
let onSignedOut: () => void = () => {};

export function useSession(session: SessionInfo | null, signedOut: () => void): void {
  csrfToken = session?.csrf_token ?? '';
  onSignedOut = signedOut;
}

export async function call<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(
      0,
      'network',
      'The server cannot be reached. Check that it is running, then retry.',
      undefined,
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })?.error;
    const failure = new ApiFailure(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${response.status}.`,
      error?.details,
    );
    // An expired session anywhere sends the page back to sign-in (except the sign-in call itself).
    if (response.status === 401 && path !== '/dashboard/session') onSignedOut();
    throw failure;
  }
  return parsed as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
