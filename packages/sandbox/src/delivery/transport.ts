// One webhook POST with a hard deadline: Ingo gives a receiver 10 s to answer (docs/ingo-contract.md §6), so an
// attempt that has no status line by then is a failure, however slowly the receiver is trickling.

import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostResult {
  /** HTTP status, when a response arrived in time. */
  httpStatus: number | null;
  /** Why the attempt failed without a status (timeout, refused, reset). */
  error: string | null;
  latencyMs: number;
  /** The sandbox is shutting down and cut the attempt short: it did not happen, record nothing. */
  aborted: boolean;
}

export class WebhookTransport {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly pending = new Set<() => void>();

  constructor(
    private readonly timeoutMs: number,
    maxSockets: number,
  ) {
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  /** POSTs `body`; never rejects. */
  post(url: string, body: string, headers: Record<string, string>): Promise<PostResult> {
    const started = performance.now();
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const finish = (httpStatus: number | null, error: string | null, aborted = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(abort);
        resolve({ httpStatus, error, latencyMs: Math.round(performance.now() - started), aborted });
      };
      const req = send(target, {
        method: 'POST',
        agent: target.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      const abort = () => {
        finish(null, 'aborted: sandbox shutting down', true);
        req.destroy();
      };
      this.pending.add(abort);
      const timer = setTimeout(() => {
        finish(null, `timeout: no response within ${this.timeoutMs} ms`);
        req.destroy();
      }, this.timeoutMs);
      req.on('response', (res) => {
        finish(res.statusCode ?? null, null);
        // The body is irrelevant (any 2xx is success) but must be drained to reuse the connection.
        res.resume();
        res.on('error', () => {});
      });
      req.on('error', (error: NodeJS.ErrnoException) => finish(null, error.code ?? error.message));
      req.end(body);
    });
  }

  /** Ends every attempt in flight (shutdown) and closes pooled connections. */
  close(): void {
    for (const abort of [...this.pending]) abort();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
