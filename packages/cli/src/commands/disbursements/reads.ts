// `notifykit get`, `list` and `stats`: the server's read API as tables (or --json, the API's own shapes).
import type { Command } from 'commander';
import { ServerApi } from '../../connection/server-api.js';
import { SERVER_SETTINGS, withSettings } from '../../connection/settings.js';
import { colourStatus, dash, money, shortTime } from '../../output/format.js';
import { type CliIO, printJson } from '../../output/io.js';
import { renderFields, renderTable } from '../../output/table.js';
import { positiveInteger, settingsOf, withExamples, withJson } from '../command-options.js';
import { disbursementIdOf } from './reference.js';
import { stepTracker } from './step-tracker.js';

type View = Record<string, unknown>;

function serverCommand(program: Command, name: string): Command {
  return withJson(withSettings(program.command(name), SERVER_SETTINGS));
}

function printDetail(io: CliIO, d: View): void {
  const failure = d.failure as { code: string; message: string } | null;
  for (const line of renderFields([
    ['id', String(d.id)],
    ['status', colourStatus(io, String(d.status))],
    ['amount', money(String(d.amount))],
    ['recipient', dash(d.recipient_name)],
    ['participant_unique_id1', dash(d.participant_unique_id1)],
    ['notification_id', dash(d.notification_id)],
    ['tracer_id', dash(d.tracer_id)],
    ['created', shortTime(d.created_at as string)],
    ['updated', shortTime(d.updated_at as string)],
    ...(failure ? [['failure', `${failure.code}: ${failure.message}`] as const] : []),
    ...(d.on_hold ? [['on hold', 'yes'] as const] : []),
  ]))
    io.out(line);
  io.out('');
  io.out(stepTracker(io, d));
  printParties(io, d);
  const timeline = (d.timeline as View[] | undefined) ?? [];
  if (timeline.length > 0) {
    io.out('');
    const rows = timeline.map((t) => [
      shortTime(t.at as string),
      String(t.kind),
      t.status_after && t.status_after !== t.status_before
        ? `${dash(t.status_before)} → ${colourStatus(io, String(t.status_after))}`
        : '',
      dash((t.event as View | null)?.topic),
    ]);
    for (const line of renderTable(['AT', 'KIND', 'STATUS', 'TOPIC'], rows)) io.out(line);
  }
}

/** A party's furthest step: notified → viewed → authenticated (the decision has its own column). */
function progressOf(party: View): string {
  if (party.authenticated) return 'authenticated';
  if (party.viewed) return 'viewed';
  if (party.notified) return 'notified';
  return '-';
}

/** Managed Parties (v4): the approvals summary and one row per party; nothing for a classic payout. */
function printParties(io: CliIO, d: View): void {
  const parties = (d.parties as View[] | undefined) ?? [];
  const approvals = d.approvals as { required: number; approved: number; declined: number; complete: boolean } | null;
  if (parties.length === 0 && !approvals) return;
  io.out('');
  if (approvals) {
    io.out(
      `approvals: ${approvals.approved}/${approvals.required} approved, ${approvals.declined} declined${approvals.complete ? ', complete' : ''}`,
    );
  }
  const rows = parties.map((p) => [
    String(p.role),
    dash(p.name),
    progressOf(p),
    dash(p.decision),
    shortTime(p.decided_at as string | null),
  ]);
  for (const line of renderTable(['ROLE', 'NAME', 'PROGRESS', 'DECISION', 'DECIDED'], rows)) io.out(line);
}

function registerGet(program: Command, io: CliIO): void {
  const command = serverCommand(program, 'get')
    .description('show one payout: status, step tracker, parties and approvals (Managed), timeline')
    .argument('<id>', 'the disbursement id (dsb_…)');
  withExamples(command, [
    'notifykit get dsb_0123456789abcdef0123456789ab',
    'notifykit get dsb_… --json | jq .timeline',
  ]);
  command.action(async (id: string, opts: { json?: boolean }) => {
    const api = ServerApi.from(settingsOf(command, io));
    const { body } = await api.call<View>('GET', `/disbursements/${await disbursementIdOf(api, id)}`);
    if (opts.json) return printJson(io, body);
    printDetail(io, body);
  });
}

interface ListFlags {
  status?: string;
  hold?: string;
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  amountMin?: string;
  amountMax?: string;
  search?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
  json?: boolean;
}

function registerList(program: Command, io: CliIO): void {
  const command = serverCommand(program, 'list')
    .description('list payouts, newest first, with every filter of GET /api/v1/disbursements')
    .option('--status <list>', 'comma-separated statuses, e.g. funded,failed')
    .option('--hold <reason>', 'on hold for: approvals (awaiting approvers) or ofac')
    .option('--created-from <date>', 'created at or after (ISO 8601 date or date-time)')
    .option('--created-to <date>', 'created before')
    .option('--updated-from <date>', 'updated at or after')
    .option('--updated-to <date>', 'updated before')
    .option('--amount-min <dollars>', 'amount at least')
    .option('--amount-max <dollars>', 'amount at most')
    .option('--search <text>', 'id, participant_unique_id1/2, tracer_id, notification_id or part of the name (q)')
    .option('--limit <n>', 'page size 1–200 (default 50)', positiveInteger())
    .option('--cursor <cursor>', 'next_cursor of the previous page')
    .option('--all', 'follow next_cursor to the last page');
  withExamples(command, [
    'notifykit list --status funded,failed --created-from 2025-01-01',
    'notifykit list --search alex --json',
    'notifykit list --hold approvals',
    'notifykit list --amount-min 100 --amount-max 500 --all',
  ]);
  command.action(async (f: ListFlags) => {
    const api = ServerApi.from(settingsOf(command, io));
    const query = {
      status: f.status,
      hold: f.hold,
      created_from: f.createdFrom,
      created_to: f.createdTo,
      updated_from: f.updatedFrom,
      updated_to: f.updatedTo,
      amount_min: f.amountMin,
      amount_max: f.amountMax,
      q: f.search,
      limit: f.limit,
    };
    const data: View[] = [];
    let cursor = f.cursor;
    let next: string | null = null;
    do {
      const { body } = await api.call<{ data: View[]; next_cursor: string | null }>('GET', '/disbursements', {
        query: { ...query, cursor },
      });
      data.push(...body.data);
      next = body.next_cursor;
      cursor = next ?? undefined;
    } while (f.all && next !== null);
    if (f.json) return printJson(io, { data, next_cursor: next });
    const rows = data.map((d) => [
      String(d.id),
      colourStatus(io, String(d.status)),
      money(String(d.amount)),
      dash(d.recipient_name),
      dash(d.notification_id),
      shortTime(d.created_at as string),
    ]);
    for (const line of renderTable(['ID', 'STATUS', 'AMOUNT', 'RECIPIENT', 'NOTIFICATION', 'CREATED'], rows))
      io.out(line);
    if (next !== null) io.out(`more: notifykit list --cursor ${next}`);
  });
}

function registerStats(program: Command, io: CliIO): void {
  const command = serverCommand(program, 'stats').description(
    'counts and amounts per status, the funnel, time to fund',
  );
  withExamples(command, ['notifykit stats', 'notifykit stats --json']);
  command.action(async (opts: { json?: boolean }) => {
    const api = ServerApi.from(settingsOf(command, io));
    const { body } = await api.call<View>('GET', '/stats');
    if (opts.json) return printJson(io, body);
    const total = body.total as { count: number; amount: string };
    const byStatus = body.by_status as Record<string, { count: number; amount: string }>;
    const rows = Object.entries(byStatus).map(([status, s]) => [
      colourStatus(io, status),
      String(s.count),
      money(s.amount),
    ]);
    rows.push(['total', String(total.count), money(total.amount)]);
    for (const line of renderTable(['STATUS', 'COUNT', 'AMOUNT'], rows)) io.out(line);
    const funnel = (body.funnel as { step: string; reached: number }[] | undefined) ?? [];
    if (funnel.length > 0) io.out(`\nfunnel: ${funnel.map((s) => `${s.step} ${s.reached}`).join(' → ')}`);
    const median = body.median_time_to_fund_ms as number | null | undefined;
    if (typeof median === 'number') io.out(`median time to fund: ${(median / 1000).toFixed(1)} s`);
  });
}

export function registerReads(program: Command, io: CliIO): void {
  registerGet(program, io);
  registerList(program, io);
  registerStats(program, io);
}
