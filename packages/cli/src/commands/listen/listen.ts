// `notifykit listen --forward-to URL`: a local webhook receiver (point the sandbox or a tunnel at it)
// that prints each event as it passes — topic, payout, status, verification result — and forwards the
// raw body and headers unchanged, answering with whatever the forward target answered. The `stripe
// listen` of Ingo.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseWebhookEvent, verifyWebhook, WebhookVerificationError } from '@notifykit/sdk';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from '../../cli-error.js';
import { withSettings } from '../../connection/settings.js';
import { colourStatus, dash } from '../../output/format.js';
import { type CliIO, warn } from '../../output/io.js';
import { settingsOf, withExamples, withJson } from '../command-options.js';

// Hop-by-hop headers are the connection's own, not the request's: fetch sets them itself.
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade']);

interface ListenFlags {
  forwardTo?: string;
  port: number;
  host: string;
  json?: boolean;
}

function port(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw new InvalidArgumentError('must be a port 0–65535 (0 = any free port)');
  return n;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** What one received webhook was: printed as a line, or one JSON object per line with --json. */
function describe(body: Buffer, headers: IncomingMessage['headers'], secret: string | undefined) {
  let verification = 'not checked (no INGO_WEBHOOK_SECRET)';
  let event: ReturnType<typeof parseWebhookEvent> | undefined;
  try {
    event = secret === undefined ? parseWebhookEvent(body) : verifyWebhook({ rawBody: body, headers, secrets: secret });
    if (secret !== undefined) verification = 'valid';
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    verification = `invalid: ${error.message}`;
    try {
      event = parseWebhookEvent(body);
    } catch {
      // Not an Ingo envelope at all: reported with what is known.
    }
  }
  const raw = (event?.raw ?? {}) as { data?: { event?: { status_description?: string } } };
  return {
    event_id: event?.id ?? null,
    topic: event?.topic ?? null,
    notification_id: event?.notificationId || null,
    participant_unique_id1: event?.participantUniqueId1 || null,
    status: event?.statusCode ?? null,
    status_text: event?.clientMessage ?? raw.data?.event?.status_description ?? null,
    verification,
  };
}

export function registerListen(program: Command, io: CliIO): void {
  const command = program
    .command('listen')
    .description('receive webhooks, print each one, and forward it unchanged to your endpoint')
    .option('--forward-to <url>', 'where to forward each webhook (raw body and headers unchanged)')
    .option('--port <port>', 'port to listen on (0 = any free port)', port, 4242)
    .option('--host <host>', 'interface to bind', '127.0.0.1');
  withJson(withSettings(command, ['webhookSecret']));
  withExamples(command, [
    'notifykit listen --forward-to http://localhost:3000/webhooks/ingo',
    'INGO_WEBHOOK_SECRET=… notifykit listen --port 4242 --forward-to http://localhost:8080/hooks --json',
    'notifykit sandbox start --webhook-url http://127.0.0.1:4242/   # then point the sandbox at it',
  ]);
  command.action(async (opts: ListenFlags) => {
    const secret = settingsOf(command, io).get('webhookSecret')?.value;
    if (opts.forwardTo !== undefined && !/^https?:\/\//.test(opts.forwardTo)) {
      throw new CliError(
        `--forward-to must be an http(s) URL, got "${opts.forwardTo}"`,
        'e.g. http://localhost:3000/webhooks/ingo',
        2,
      );
    }
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      void handle(request, response);
    });
    const handle = async (request: IncomingMessage, response: ServerResponse) => {
      const body = await readBody(request);
      const seen = describe(body, request.headers, secret);
      let answer = { status: 200, body: '', type: 'text/plain' };
      let forwarded: string | null = null;
      if (opts.forwardTo !== undefined) {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (!HOP_BY_HOP.has(name) && value !== undefined)
            headers[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        try {
          const target = await fetch(opts.forwardTo, { method: request.method ?? 'POST', headers, body });
          answer = {
            status: target.status,
            body: await target.text(),
            type: target.headers.get('content-type') ?? 'text/plain',
          };
          forwarded = String(target.status);
        } catch (error) {
          answer = { status: 502, body: 'forward target unreachable', type: 'text/plain' };
          forwarded = `unreachable (${(error as { cause?: { code?: string } }).cause?.code ?? 'error'})`;
        }
      }
      if (opts.json) io.out(JSON.stringify({ ...seen, forwarded }));
      else {
        io.out(
          `${new Date().toISOString()}  ${dash(seen.topic)}  payout ${dash(seen.participant_unique_id1)} (notification ${dash(seen.notification_id)})  status ${colourStatus(io, seen.status === null ? null : String(seen.status))}  signature ${seen.verification}${forwarded === null ? '' : `  → ${forwarded}`}`,
        );
      }
      response.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body);
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new CliError(`port ${opts.port} is in use`, 'pick another with --port (0 = any free port)')
            : error,
        ),
      );
      server.listen(opts.port, opts.host, () => resolve());
    });
    const address = server.address();
    const url = `http://${opts.host}:${typeof address === 'object' && address !== null ? address.port : opts.port}`;
    warn(
      io,
      `listening on ${url}${opts.forwardTo === undefined ? '' : `, forwarding to ${opts.forwardTo}`}${secret === undefined ? ' (set INGO_WEBHOOK_SECRET to verify signatures)' : ''}`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => server.close(() => resolve());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  });
}
