// `notifykit trigger <scenario>`: stage a payout that runs one of the sandbox's scenarios (chosen by a
// tag in the recipient's email, see packages/sandbox/README.md), like `stripe trigger`.
import type { StageInput } from '@notifykit/sdk';
import type { Command } from 'commander';
import { usageError } from '../../cli-error.js';
import type { CliIO } from '../../output/io.js';
import { stageInputOf } from '../../payouts/flat-fields.js';
import { stagerFor, withExamples, withJson, withStagingTarget } from '../command-options.js';
import { directManagedRefused, printStageOutcome } from '../disbursements/stage.js';

// `decline` and `slowapprove` need approvers: they stage a Managed Parties (v4) payout through the server.
const MANAGED_SCENARIOS = ['decline', 'slowapprove'] as const;
export const TRIGGER_SCENARIOS = [
  'happy',
  'bounce',
  'authfail',
  'ofac',
  'check',
  'paypal',
  'idle',
  'return',
  ...MANAGED_SCENARIOS,
] as const;

const SSN_LAST4 = { auth1_label: 'Last 4 SSN', auth1_format: 'XXXX', auth1_value: '6789' };

/** The sandbox reads the scenario tag from the recipient's email (packages/sandbox/README.md). */
function classicPayout(tag: string, amount: string, key: string | undefined): StageInput {
  return stageInputOf({
    amount,
    first_name: 'Alex',
    last_name: 'Rivera',
    email: `alex${tag}@example.com`,
    mobile: '5125550100',
    ...SSN_LAST4,
    ...(key === undefined ? {} : { participant_unique_id1: key }),
  });
}

/** One recipient (tagged) and one approver: the server's Managed Parties body (server README, v4). */
function managedPayout(tag: string, amount: string, key: string | undefined): StageInput {
  const auth = stageInputOf({ amount, ...SSN_LAST4 }).authentication_records;
  const body = {
    amount,
    sender: { first_name: 'Acme', last_name: 'Payroll' },
    parties: [
      {
        role: 'recipient',
        first_name: 'Alex',
        last_name: 'Rivera',
        email: `alex${tag}@example.com`,
        authentication_records: auth,
      },
      { role: 'approver', first_name: 'Sam', last_name: 'Lee', email: 'sam@example.com', authentication_records: auth },
    ],
    ...(key === undefined ? {} : { participant_unique_id1: key }),
  };
  return body as unknown as StageInput;
}

export function registerTrigger(program: Command, io: CliIO): void {
  const command = program
    .command('trigger')
    .description('stage a payout that runs one sandbox scenario')
    .argument('<scenario>', TRIGGER_SCENARIOS.join(', '))
    .option('--amount <dollars>', 'amount', '25.00')
    .option('--participant-unique-id1 <key>', 'idempotency key (default: generated)');
  withJson(withStagingTarget(command));
  withExamples(command, [
    'notifykit trigger happy',
    'notifykit trigger check --json',
    'notifykit trigger bounce --direct',
    'notifykit trigger slowapprove --json',
  ]);
  command.action(async (scenario: string, opts: { amount: string; participantUniqueId1?: string; json?: boolean }) => {
    if (!(TRIGGER_SCENARIOS as readonly string[]).includes(scenario)) {
      throw usageError(`unknown scenario "${scenario}"`, `one of ${TRIGGER_SCENARIOS.join(', ')}`);
    }
    const tag = scenario === 'happy' ? '' : `+${scenario}`;
    const managed = (MANAGED_SCENARIOS as readonly string[]).includes(scenario);
    if (managed && command.opts<{ direct?: boolean }>().direct) throw directManagedRefused();
    const input = (managed ? managedPayout : classicPayout)(tag, opts.amount, opts.participantUniqueId1);
    const stage = await stagerFor(command, io);
    const outcome = await stage(input, opts.participantUniqueId1);
    printStageOutcome(io, outcome, input.amount, opts.json === true);
    if (!opts.json) io.out(`scenario ${scenario}: follow it with \`notifykit events --follow\``);
  });
}
