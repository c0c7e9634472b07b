// A small signed client for the /_sandbox control API, for tests and tools: it signs each call with
// the SDK's signRequest exactly as routes.ts verifies it (no content-length on bodiless calls).

import { signRequest } from '@notifykit/sdk';
import { CONTROL_REQUIRED_SIGNED_HEADERS } from './routes.js';

export interface SandboxControlClientOptions {
  /** The sandbox URL, e.g. `http://127.0.0.1:4010`. */
  baseUrl: string;
  username: string;
  secret: string;
  fetch?: typeof fetch;
}

export interface ControlResponse<T = Record<string, unknown>> {
  httpStatus: number;
  body: T;
}

export class SandboxControlClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: SandboxControlClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Sends one signed control call and returns the HTTP status and parsed JSON, whatever the status. */
  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
  ): Promise<ControlResponse<T>> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const { headers } = signRequest({
      method,
      path,
      body: text,
      username: this.options.username,
      secret: this.options.secret,
      headers:
        text === ''
          ? CONTROL_REQUIRED_SIGNED_HEADERS
          : [...CONTROL_REQUIRED_SIGNED_HEADERS, 'content-type', 'content-length'],
    });
    if (text === '') {
      delete headers['Content-Length'];
      delete headers['Content-Type'];
    }
    const response = await this.fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(text === '' ? {} : { body: text }),
    });
    const raw = await response.text();
    return { httpStatus: response.status, body: (raw === '' ? {} : JSON.parse(raw)) as T };
  }

  private async ok<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
    const response = await this.call<T>(method, path, body);
    if (response.httpStatus >= 300) {
      const error = (response.body as { error?: { message?: string } }).error;
      throw new Error(`sandbox control ${method} ${path} → HTTP ${response.httpStatus}: ${error?.message ?? 'error'}`);
    }
    return response.body;
  }

  /** One recipient/approver action (`open`, `authenticate`, `choose_payment`…); throws on 4xx (409 included). */
  act(notificationId: number | string, action: string, extra: { party_id?: string; account_type?: string } = {}) {
    return this.ok<Record<string, unknown>>('POST', `/_sandbox/notifications/${notificationId}/actions`, {
      action,
      ...extra,
    });
  }

  notification(notificationId: number | string) {
    return this.ok<Record<string, unknown>>('GET', `/_sandbox/notifications/${notificationId}`);
  }

  advanceClock(seconds: number) {
    return this.ok<{ now: string; now_ms: number; steps_run: number }>('POST', '/_sandbox/clock/advance', { seconds });
  }

  deliveries(filter: { notification_id?: number | string; status?: string; event_id?: string } = {}) {
    const query = new URLSearchParams(
      Object.entries(filter)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]): [string, string] => [k, String(v)]),
    ).toString();
    return this.ok<{ deliveries: Record<string, unknown>[] }>('GET', `/_sandbox/deliveries${query ? `?${query}` : ''}`);
  }

  redeliver(eventId: string) {
    return this.ok<Record<string, unknown>>('POST', `/_sandbox/deliveries/${encodeURIComponent(eventId)}/redeliver`);
  }

  /** Points the sandbox's webhooks at `url` (null: record only) for events emitted from now on. */
  setWebhookUrl(url: string | null) {
    return this.ok<{ url: string | null }>('PUT', '/_sandbox/webhook', { url });
  }

  reset() {
    return this.ok<{ reset: boolean }>('POST', '/_sandbox/reset');
  }
}
