// `notifykit events`: the server's webhook inbox (GET /api/v1/events), `--follow` to tail it live, and
// `events resend <event-id>` to have the sandbox deliver an event again.
import type { Command } from 'commander';
import { ServerApi } from '../../connection/server-api.js';
import { INGO_SETTINGS, SERVER_SETTINGS, withSettings } from '../../connection/settings.js';
import { dash, shortTime } from '../../output/format.js';
import { type CliIO, printJson } from '../../output/io.js';
import { renderTable } from '../../output/table.js';
import { positiveInteger, settingsOf, withExamples, withJson } from '../command-options.js';
import { redeliver } from '../sandbox/control.js';

type Event = Record<string, unknown> & { seq: number };
interface Page {
  data: Event[];
  next_cursor: string | null;
}
interface EventFlags {
  topic?: string;
  notificationId?: string;
  disbursementId?: string;
  orphan?: boolean;
  limit?: number;
  cursor?: string;
  follow?: boolean;
  interval: number;
  json?: boolean;
}

const HEADERS = ['SEQ', 'RECEIVED', 'TOPIC', 'NOTIFICATION', 'DISBURSEMENT', 'EVENT ID'];
const row = (e: Event) => [
  String(e.seq),
  shortTime(e.received_at as string),
  String(e.topic),
  dash(e.notification_id),
  dash(e.disbursement_id),
  String(e.metadata_id),
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every event newer than `afterSeq`, oldest first: pages back until it reaches one already seen. */
async function newerThan(
  api: ServerApi,
  query: Record<string, string | undefined>,
  afterSeq: number,
): Promise<Event[]> {
  const found: Event[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { body } = await api.call<Page>('GET', '/events', { query: { ...query, limit: '200', cursor } });
    const fresh = body.data.filter((e) => e.seq > afterSeq);
    found.push(...fresh);
    if (fresh.length < body.data.length || body.next_cursor === null) break;
    cursor = body.next_cursor;
  }
  return found.reverse();
}

async function follow(io: CliIO, api: ServerApi, query: Record<string, string | undefined>, f: EventFlags) {
  const first = await api.call<Page>('GET', '/events', { query: { ...query, limit: String(f.limit ?? 10) } });
  const initial = [...first.body.data].reverse();
  const print = (events: Event[]) => {
    for (const e of events) {
      if (f.json) io.out(JSON.stringify(e));
      else io.out(renderTable(HEADERS, [row(e)])[1]!);
    }
  };
  if (!f.json) io.out(renderTable(HEADERS, [])[0]!);
  print(initial);
  let last = initial.at(-1)?.seq ?? 0;
  // Until Ctrl-C; the cursor is the newest seq printed, so nothing is printed twice or skipped.
  for (;;) {
    await sleep(f.interval);
    const events = await newerThan(api, query, last);
    print(events);
    last = events.at(-1)?.seq ?? last;
  }
}

export function registerEvents(program: Command, io: CliIO): void {
  const command = withJson(withSettings(program.command('events'), SERVER_SETTINGS))
    .description('list the webhooks the server received, newest first; --follow tails them live')
    .option('--topic <topic>', 'exact topic as received')
    .option('--notification-id <id>', "Ingo's notification_id")
    .option('--disbursement-id <id>', 'only events of this disbursement')
    .option('--orphan', 'only events not attached to a disbursement')
    .option('--limit <n>', 'page size 1–200 (default 50; with --follow, how many to show first: 10)', positiveInteger())
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .option(
      '-f, --follow',
      'keep polling and print each new event as it arrives (Ctrl-C stops); --json prints one JSON object per line',
    )
    .option('--interval <ms>', 'poll interval with --follow', positiveInteger(), 1000);
  withExamples(command, [
    'notifykit events',
    'notifykit events --disbursement-id dsb_… --json',
    'notifykit events --follow',
    'notifykit events resend 7f3e…   # the sandbox delivers it again',
  ]);
  command.action(async (f: EventFlags) => {
    const api = ServerApi.from(settingsOf(command, io));
    const query = {
      topic: f.topic,
      notification_id: f.notificationId,
      disbursement_id: f.disbursementId,
      orphan: f.orphan ? 'true' : undefined,
    };
    if (f.follow) return follow(io, api, query, f);
    const { body } = await api.call<Page>('GET', '/events', {
      query: { ...query, limit: f.limit === undefined ? undefined : String(f.limit), cursor: f.cursor },
    });
    if (f.json) return printJson(io, body);
    for (const line of renderTable(HEADERS, body.data.map(row))) io.out(line);
    if (body.next_cursor !== null) io.out(`more: notifykit events --cursor ${body.next_cursor}`);
  });

  const resend = withJson(withSettings(command.command('resend'), INGO_SETTINGS))
    .description('have the sandbox deliver an event again (its metadata.id, the EVENT ID column)')
    .argument('<event-id>', 'the event id');
  withExamples(resend, ['notifykit events resend 3f1c2a… --ingo-base-url http://127.0.0.1:4010']);
  resend.action((eventId: string, opts: { json?: boolean }) =>
    redeliver(io, settingsOf(resend, io), eventId, opts.json === true),
  );
}
