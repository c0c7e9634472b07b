import { createServer, type Server } from 'node:http';

export interface FanOutRelay {
  url: string;
  /** Answers of the targets, by HTTP status (0: no answer). */
  answers: Record<number, number>;
  deliveries: number;
  close(): Promise<void>;
}

/**
 * Scale-out's webhook receiver: every webhook the sandbox sends is forwarded, byte for byte and at the
 * same moment, to every target server; the sandbox gets 200 only when all of them acknowledged (503
 * otherwise, so it retries, and every target sees the retry too).
 */
export async function startFanOutRelay(targets: () => string[]): Promise<FanOutRelay> {
  const relay = { answers: {} as Record<number, number>, deliveries: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', async () => {
      relay.deliveries += 1;
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'x-ingo-signature']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const statuses = await Promise.all(
        targets().map((url) =>
          fetch(`${url}/webhooks/ingo`, { method: 'POST', headers, body }).then(
            async (r) => {
              await r.arrayBuffer();
              return r.status;
            },
            () => 0,
          ),
        ),
      );
      for (const s of statuses) relay.answers[s] = (relay.answers[s] ?? 0) + 1;
      response.writeHead(statuses.every((s) => s >= 200 && s < 300) ? 200 : 503).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return Object.assign(relay, {
    url: `http://127.0.0.1:${port}/webhooks/ingo`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
