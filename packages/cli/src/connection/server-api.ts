// Calls to the notifykit server's REST API (/api/v1) with the bearer token. Every failure becomes one
// CliError naming what went wrong and what to do: server down, token refused, the API's own 4xx message.
import { CliError } from '../cli-error.js';
import type { Settings } from './settings.js';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:3000';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

type Query = Record<string, string | number | boolean | undefined>;

export class ServerApi {
  readonly baseUrl: string;
  readonly #token: string;

  constructor(baseUrl: string, token: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
  }

  static from(settings: Settings): ServerApi {
    const url = settings.get('serverUrl')?.value ?? DEFAULT_SERVER_URL;
    const token = settings.require(
      'apiToken',
      '`npm start` prints the development token: export NOTIFYKIT_API_TOKEN=… or run `notifykit login --api-token …`',
    );
    return new ServerApi(url, token);
  }

  async call<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    options: { query?: Query; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) query.set(k, String(v));
    const url = `${this.baseUrl}/api/v1${path}${query.size > 0 ? `?${query}` : ''}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.headers ?? {}),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new CliError(
        `cannot reach the notifykit server at ${this.baseUrl} (${cause})`,
        'is it running? `npm start` starts one; or set NOTIFYKIT_SERVER_URL / --server-url',
      );
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // Not JSON: kept as text for the error below.
    }
    if (response.status === 401) {
      throw new CliError(
        `the server at ${this.baseUrl} refused the API token (401)`,
        'check NOTIFYKIT_API_TOKEN / --api-token, or run `notifykit login`',
      );
    }
    if (response.status >= 400) throw apiError(response.status, body);
    return { status: response.status, headers: response.headers, body: body as T };
  }
}

function apiError(status: number, body: unknown): CliError {
  const error = (body as { error?: { code?: string; message?: string; details?: { issues?: unknown } } } | null)?.error;
  const issues = Array.isArray(error?.details?.issues)
    ? (error.details.issues as { path?: string; message?: string }[])
        .slice(0, 5)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')
    : '';
  const message = error?.message ?? (typeof body === 'string' ? body.slice(0, 200) : 'error');
  const full = issues !== '' && !message.includes(issues) ? `${message} (${issues})` : message;
  return new CliError(
    `server answered ${status}${error?.code ? ` ${error.code}` : ''}: ${full}`,
    status >= 500 ? 'the server failed: see its logs' : 'fix the request and try again',
  );
}
