// `notifykit stage`: one payout from flags or a JSON file (an Ingo v3 stage body, or a Managed Parties
// body with `parties`), through the server or --direct (v3 only). Flags fill or override the file's fields.
import { readFileSync } from 'node:fs';
import type { StageInput } from '@notifykit/sdk';
import type { Command } from 'commander';
import { CliError, usageError } from '../../cli-error.js';
import { money } from '../../output/format.js';
import { type CliIO, printJson } from '../../output/io.js';
import { renderFields } from '../../output/table.js';
import { RECIPIENT_COLUMNS, stageInputOf } from '../../payouts/flat-fields.js';
import type { StageOutcome } from '../../payouts/stager.js';
import { stagerFor, withExamples, withJson, withStagingTarget } from '../command-options.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const flagName = (column: string) => `--${column.replaceAll('_', '-')}`;
const camel = (column: string) => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function readPayoutFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw usageError(
      `--file ${path} is not a JSON object`,
      'it holds an Ingo v3 stage body {"amount": "25.00", "recipient": {…}, …} or a Managed one {"amount", "sender", "parties": […]}',
    );
  }
}

/** `--auth "Last 4 SSN:XXXX:6789"` → the flat auth<N>_* fields; the value is everything after the second colon. */
function authFields(specs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  specs.forEach((spec, i) => {
    const [label, format, ...rest] = spec.split(':');
    if (!label || rest.length === 0)
      throw usageError(`--auth "${label ?? ''}:…" must be label:format:value, e.g. "Last 4 SSN:XXXX:6789"`);
    fields[`auth${i + 1}_label`] = label;
    if (format) fields[`auth${i + 1}_format`] = format;
    fields[`auth${i + 1}_value`] = rest.join(':');
  });
  return fields;
}

function noteFields(specs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  specs.forEach((spec, i) => {
    const at = spec.indexOf(':');
    if (at <= 0) throw usageError(`--note "${spec}" must be label:value, e.g. "Claim:CLM-1001"`);
    fields[`note${i + 1}_label`] = spec.slice(0, at);
    fields[`note${i + 1}_value`] = spec.slice(at + 1);
  });
  return fields;
}

/** A body with `parties` is a Managed Parties (v4) payout: the server builds and validates Ingo's v4 body. */
export function isManagedPayout(input: object): boolean {
  return Array.isArray((input as { parties?: unknown }).parties);
}

// The flags that still apply to a Managed payout: its top-level keys. The recipient, auth and note flags
// describe a v3 recipient; a v4 body puts them on its parties.
const MANAGED_COLUMNS = ['amount', 'participant_unique_id1', 'tracer_id'] as const;
const V3_ONLY_COLUMNS = [...RECIPIENT_COLUMNS, 'language', 'auth', 'note'];

function managedInputFrom(file: Record<string, unknown>, opts: Record<string, unknown>): StageInput {
  const v3Only = V3_ONLY_COLUMNS.filter((column) => opts[camel(column)] !== undefined);
  if (v3Only.length > 0) {
    throw usageError(
      `--file ${String(opts.file)} is a Managed Parties (v4) payout: ${v3Only.map(flagName).join(', ')} cannot apply to it`,
      'put recipient and approver fields on its "parties"; only --amount, --participant-unique-id1 and --tracer-id override a v4 file',
    );
  }
  const merged: Record<string, unknown> = { ...file };
  for (const column of MANAGED_COLUMNS) {
    const value = opts[camel(column)];
    if (typeof value === 'string') merged[column] = value;
  }
  if (merged.amount === undefined) throw usageError('no amount: pass --amount 25.00 or a --file with "amount"');
  return merged as unknown as StageInput;
}

/** Merges file and flags: a flag wins over the same field in the file. */
export function stageInputFrom(opts: Record<string, unknown>): StageInput {
  const file = typeof opts.file === 'string' ? readPayoutFile(opts.file) : {};
  if (isManagedPayout(file)) return managedInputFrom(file, opts);
  const flat: Record<string, string> = {};
  for (const column of ['amount', 'participant_unique_id1', 'tracer_id', 'language', ...RECIPIENT_COLUMNS]) {
    const value = opts[camel(column)];
    if (typeof value === 'string') flat[column] = value;
  }
  Object.assign(flat, authFields((opts.auth as string[]) ?? []), noteFields((opts.note as string[]) ?? []));
  const fromFlags = stageInputOf(flat) as unknown as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(fromFlags)) {
    if (key === 'recipient') {
      merged.recipient = { ...((file.recipient as Record<string, unknown>) ?? {}), ...(value as object) };
    } else if (key !== 'amount' || value !== '') {
      merged[key] = value;
    }
  }
  if (merged.amount === undefined) throw usageError('no amount: pass --amount 25.00 or a --file with "amount"');
  return merged as unknown as StageInput;
}

/** `--direct` stages v3 only: a Managed payout goes through the server, which builds Ingo's v4 body. */
export function directManagedRefused(): CliError {
  return usageError(
    '--direct stages Ingo v3 payouts only; a Managed Parties (v4) payout (with "parties") goes through the server',
    'drop --direct: the server builds, validates and tracks the v4 body',
  );
}

export function printStageOutcome(io: CliIO, outcome: StageOutcome, amount: unknown, json: boolean): void {
  if (json) {
    printJson(io, outcome);
    return;
  }
  io.out(
    outcome.replayed
      ? 'already staged with this participant_unique_id1: nothing new was staged'
      : `staged ${money(String(amount))} ${outcome.via === 'server' ? 'through the server' : 'directly with Ingo'}`,
  );
  for (const line of renderFields([
    ...(outcome.disbursement_id === null ? [] : [['id', outcome.disbursement_id] as const]),
    ['status', outcome.status],
    ['participant_unique_id1', outcome.participant_unique_id1],
    ['notification_id', outcome.notification_id ?? '(not yet: the server stages it in the background)'],
    ['tracer_id', outcome.tracer_id ?? '-'],
  ]))
    io.out(line);
}

export function registerStage(program: Command, io: CliIO): void {
  const command = program
    .command('stage')
    .description(
      'stage one payout (an Ingo v3 notify, or a Managed Parties v4 payout from a file): from flags, a JSON file, or both',
    )
    .option(
      '--file <payout.json>',
      'an Ingo v3 stage body, or a Managed Parties body (with "parties", server only); flags fill or override its fields',
    )
    .option('--amount <dollars>', 'e.g. 250.00')
    .option(
      '--participant-unique-id1 <key>',
      'your unique id for the payout: the idempotency key (default: generated)',
    );
  for (const column of RECIPIENT_COLUMNS) command.option(`${flagName(column)} <value>`, `recipient.${column}`);
  command
    .option('--tracer-id <id>', 'echoed back by Ingo (default: generated)')
    .option('--language <code>', 'en or es')
    .option(
      '--auth <label:format:value>',
      'an authentication record, repeatable (e.g. "Last 4 SSN:XXXX:6789")',
      collect,
    )
    .option('--note <label:value>', 'a notification line shown to the recipient, repeatable', collect);
  withJson(withStagingTarget(command));
  withExamples(command, [
    `notifykit stage --amount 250.00 --first-name Alex --last-name Rivera --email alex@example.com --mobile 5125550100 --auth "Last 4 SSN:XXXX:6789"`,
    'notifykit stage --file payout.json --json',
    'notifykit stage --file payout.json --participant-unique-id1 claim-1001 --direct',
  ]);
  command.action(async (opts: Record<string, unknown>) => {
    const input = stageInputFrom(opts);
    if (opts.direct === true && isManagedPayout(input)) throw directManagedRefused();
    const stage = await stagerFor(command, io);
    const outcome = await stage(input, input.participant_unique_id1 as string | undefined);
    if (outcome.status === 'failed') {
      printStageOutcome(io, outcome, input.amount, opts.json === true);
      const failure = (outcome.disbursement?.failure as { message?: string } | null)?.message ?? 'rejected';
      throw new CliError(`Ingo rejected the payout: ${failure}`, 'see `notifykit get <id>` for the timeline');
    }
    printStageOutcome(io, outcome, input.amount, opts.json === true);
  });
}
