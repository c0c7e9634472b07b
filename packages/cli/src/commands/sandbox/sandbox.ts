// `notifykit sandbox …`: start a local sandbox (the notifykit-sandbox binary, same flags) and drive a
// running one through its control API: act for the recipient, move the virtual clock, list and replay
// webhook deliveries.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { CliError, usageError } from '../../cli-error.js';
import { INGO_SETTINGS, withSettings } from '../../connection/settings.js';
import { colourStatus, dash, shortTime } from '../../output/format.js';
import { type CliIO, printJson } from '../../output/io.js';
import { renderTable } from '../../output/table.js';
import { settingsOf, withExamples, withJson } from '../command-options.js';
import { control, redeliver } from './control.js';

const SANDBOX_BIN = fileURLToPath(new URL('./dist/bin.js', import.meta.resolve('@notifykit/sandbox/package.json')));

/** Runs notifykit-sandbox in the foreground with the same flags; its exit code becomes ours. */
function registerStart(sandbox: Command): void {
  const start = sandbox
    .command('start')
    .description('run a local sandbox (a stateful local Ingo): the same flags as notifykit-sandbox')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[flags...]', 'notifykit-sandbox flags, e.g. --port 4010 --webhook-url …');
  start.action(async (flags: string[]) => {
    const help = flags.includes('--help') || flags.includes('-h');
    const child = spawn(process.execPath, [SANDBOX_BIN, ...flags], { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const code = await new Promise<number>((resolve) =>
      child.once('exit', (c, signal) => resolve(c ?? (signal === 'SIGINT' ? 130 : 1))),
    );
    if (help) {
      process.stdout.write(
        '\nExamples:\n  $ notifykit sandbox start --port 4010 --webhook-url http://127.0.0.1:3000/webhooks/ingo\n  $ notifykit sandbox start --port 0 --db :memory: --speed 0\n',
      );
    }
    if (code !== 0)
      throw new CliError(`notifykit-sandbox exited with code ${code}`, 'see its message above', code === 2 ? 2 : 1);
  });
}

function sandboxCommand(parent: Command, name: string): Command {
  return withJson(withSettings(parent.command(name), INGO_SETTINGS));
}

function registerAct(sandbox: Command, io: CliIO): void {
  const act = sandboxCommand(sandbox, 'act')
    .description('act as the recipient (or an approver) on a staged payout')
    .argument('<notification-id>', "Ingo's notification_id of the payout")
    .argument('<action>', 'open, authenticate, fail_authentication, choose_payment, bounce, … (see the sandbox README)')
    .option('--party <id>', 'act as this Managed party')
    .option('--account-type <type>', 'with choose_payment: CA, AC, PD or CK');
  withExamples(act, [
    'notifykit sandbox act 1000001 open',
    'notifykit sandbox act 1000001 choose_payment --account-type CA --json',
  ]);
  act.action(async (id: string, action: string, opts: { party?: string; accountType?: string; json?: boolean }) => {
    const result = await control(settingsOf(act, io), (c) =>
      c.act(id, action, {
        ...(opts.party === undefined ? {} : { party_id: opts.party }),
        ...(opts.accountType === undefined ? {} : { account_type: opts.accountType }),
      }),
    );
    if (opts.json) return printJson(io, result);
    const notification = result.notification as Record<string, unknown>;
    const events = (result.events as { topic?: string }[] | undefined) ?? [];
    io.out(
      `${action}: notification ${id} is now ${colourStatus(io, String(notification.status))} (${String(notification.state)})`,
    );
    for (const e of events) io.out(`  emitted ${dash(e.topic)}`);
  });
}

function registerClock(sandbox: Command, io: CliIO): void {
  const clock = sandbox.command('clock').description("the sandbox's virtual clock");
  const advance = sandboxCommand(clock, 'advance')
    .description('move the virtual clock forward and run every step that falls due')
    .argument('<seconds>', 'how far, in seconds (e.g. 2592000 for 30 days)');
  withExamples(advance, ['notifykit sandbox clock advance 5', 'notifykit sandbox clock advance 2592000 --json']);
  advance.action(async (text: string, opts: { json?: boolean }) => {
    const seconds = Number(text);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw usageError(`<seconds> must be a positive number, got "${text}"`);
    const result = await control(settingsOf(advance, io), (c) => c.advanceClock(seconds));
    if (opts.json) return printJson(io, result);
    io.out(`virtual time is now ${result.now} (${result.steps_run} step(s) ran)`);
  });
}

function registerDeliveries(sandbox: Command, io: CliIO): void {
  const deliveries = sandboxCommand(sandbox, 'deliveries')
    .description('webhook deliveries the sandbox made or will make')
    .option('--notification-id <id>', 'only this payout')
    .option('--status <status>', 'pending, delivered, failed…')
    .option('--event-id <id>', 'only this event');
  withExamples(deliveries, [
    'notifykit sandbox deliveries',
    'notifykit sandbox deliveries --notification-id 1000001 --json',
  ]);
  deliveries.action(async (opts: { notificationId?: string; status?: string; eventId?: string; json?: boolean }) => {
    const result = await control(settingsOf(deliveries, io), (c) =>
      c.deliveries({ notification_id: opts.notificationId, status: opts.status, event_id: opts.eventId }),
    );
    if (opts.json) return printJson(io, result);
    const rows = result.deliveries.map((d) => [
      String(d.event_id),
      dash(d.topic),
      dash(d.notification_id),
      colourStatus(io, String(d.status)),
      dash(d.attempts),
      dash(d.last_http_status),
      shortTime((d.delivered_at ?? d.next_attempt_at) as string | null),
    ]);
    for (const line of renderTable(['EVENT ID', 'TOPIC', 'NOTIFICATION', 'STATUS', 'ATTEMPTS', 'HTTP', 'AT'], rows))
      io.out(line);
  });
}

function registerRedeliver(sandbox: Command, io: CliIO): void {
  const command = sandboxCommand(sandbox, 'redeliver')
    .description('deliver an event again (e.g. after fixing your webhook endpoint)')
    .argument('<event-id>', 'the event id (metadata.id)');
  withExamples(command, ['notifykit sandbox redeliver 3f1c2a…']);
  command.action((eventId: string, opts: { json?: boolean }) =>
    redeliver(io, settingsOf(command, io), eventId, opts.json === true),
  );
}

export function registerSandbox(program: Command, io: CliIO): void {
  const sandbox = program.command('sandbox').description('run and drive the local sandbox (a stateful local Ingo)');
  withExamples(sandbox, [
    'notifykit sandbox start --port 4010 --webhook-url http://127.0.0.1:3000/webhooks/ingo',
    'notifykit sandbox act 1000001 open',
    'notifykit sandbox clock advance 60',
    'notifykit sandbox deliveries --json',
  ]);
  registerStart(sandbox);
  registerAct(sandbox, io);
  registerClock(sandbox, io);
  registerDeliveries(sandbox, io);
  registerRedeliver(sandbox, io);
}
