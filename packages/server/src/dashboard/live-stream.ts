import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import type { DashboardAuth } from './session-auth.js';

// `GET /dashboard/stream`: server-sent events, one per timeline entry (created, staged, every webhook's
// effect, cancels…), `id:` = the timeline row's seq. A browser that reconnects sends `Last-Event-ID`
// and gets everything after it, so nothing is missed across a dropped connection or a server restart.
// The database is the source (polled), so it works with several server instances and needs no bus.
//
// On PostgreSQL, sequence values are handed out before commit: seq 41 can become visible after 42.
// Each poll therefore looks LOOKBACK rows behind the highest seq sent and sends any it had not.

const LOOKBACK = 64;
const PAGE = 500;
const HEARTBEAT_MS = 15_000;

export interface LiveStreamSettings {
  pollMs: number;
}

function lastEventIdOf(header: string | string[] | undefined, query: unknown): number | undefined {
  const raw = (Array.isArray(header) ? header[0] : header) ?? (query as { last_event_id?: string }).last_event_id;
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  return Number(raw);
}

export function registerLiveStream(
  app: FastifyInstance,
  deps: { db: Kysely<DatabaseSchema>; auth: DashboardAuth; settings?: LiveStreamSettings },
): void {
  const { db, auth } = deps;
  const pollMs = deps.settings?.pollMs ?? 250;
  const open = new Set<ServerResponse>();
  // A stream never goes idle, so the server could not close while one is open: end them first.
  app.addHook('preClose', async () => {
    for (const response of open) response.end();
  });

  const latestSeq = async () => {
    const row = await db
      .selectFrom('timeline')
      .select((eb) => eb.fn.max<number | null>('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  };

  app.get('/dashboard/stream', async (request, reply) => {
    auth.requireSession(request);
    const resumeFrom = lastEventIdOf(request.headers['last-event-id'], request.query);
    // Without Last-Event-ID the page has just loaded what exists; only what comes next is news.
    const floor = resumeFrom ?? (await latestSeq());
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    open.add(response);
    response.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ resumed_from: floor })}\n\n`);

    let high = floor;
    const sent = new Set<number>();
    let closed = false;
    let lastWrite = Date.now();
    const finish = () => {
      closed = true;
      open.delete(response);
    };
    response.on('close', finish);

    const poll = async () => {
      const rows = await db
        .selectFrom('timeline as t')
        .leftJoin('events as e', 'e.seq', 't.event_seq')
        .select(['t.seq', 't.disbursement_id', 't.kind', 't.status_after', 't.at', 'e.topic'])
        .where('t.seq', '>', Math.max(floor, high - LOOKBACK))
        .orderBy('t.seq')
        .limit(PAGE)
        .execute();
      for (const row of rows) {
        const seq = Number(row.seq);
        if (sent.has(seq)) continue;
        sent.add(seq);
        high = Math.max(high, seq);
        const data = {
          seq,
          disbursement_id: row.disbursement_id,
          kind: row.kind,
          status: row.status_after,
          topic: row.topic ?? null,
          at: new Date(Number(row.at)).toISOString(),
        };
        response.write(`id: ${high}\nevent: timeline\ndata: ${JSON.stringify(data)}\n\n`);
        lastWrite = Date.now();
      }
      for (const seq of sent) if (seq <= high - LOOKBACK) sent.delete(seq);
      return rows.length;
    };

    while (!closed) {
      try {
        const n = await poll();
        if (n >= PAGE) continue;
      } catch (error) {
        request.log.warn({ err: error }, 'dashboard stream poll failed');
      }
      if (Date.now() - lastWrite > HEARTBEAT_MS) {
        response.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  });
}
