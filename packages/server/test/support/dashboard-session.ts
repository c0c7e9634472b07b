import { expect } from 'vitest';

/** A signed-in dashboard browser, minus the browser: the session cookie and the CSRF token. */
export interface DashboardSession {
  cookie: string;
  csrf: string;
  role: string;
  /** fetch with the session cookie (and the CSRF token unless `csrf: false`). */
  request(path: string, init?: RequestInit & { json?: unknown; csrf?: boolean }): Promise<Response>;
}

export async function signIn(baseUrl: string, token: string): Promise<DashboardSession> {
  const response = await fetch(`${baseUrl}/dashboard/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  expect(response.status).toBe(201);
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as { csrf_token: string; role: string };
  const cookie = setCookie.split(';')[0]!;
  return {
    cookie,
    csrf: body.csrf_token,
    role: body.role,
    request(path, init = {}) {
      const { json, csrf = true, headers, ...rest } = init;
      return fetch(`${baseUrl}${path}`, {
        ...rest,
        headers: {
          cookie,
          ...(csrf ? { 'x-csrf-token': body.csrf_token } : {}),
          ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...((headers as Record<string, string>) ?? {}),
        },
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
  };
}

/** Reads server-sent events from a stream until `until` is satisfied or the time runs out. */
export async function readEvents(
  response: Response,
  until: (events: { id?: string; event?: string; data: string }[]) => boolean,
  timeoutMs = 10_000,
): Promise<{ id?: string; event?: string; data: string }[]> {
  const events: { id?: string; event?: string; data: string }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(events) && Date.now() < deadline) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<{ done: true; value: undefined }>((r) =>
          setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()),
        ),
      ]);
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: { id?: string; event?: string; data: string } = { data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) event.id = line.slice(4);
          else if (line.startsWith('event: ')) event.event = line.slice(7);
          else if (line.startsWith('data: ')) event.data += line.slice(6);
        }
        if (event.event !== undefined) events.push(event);
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}
