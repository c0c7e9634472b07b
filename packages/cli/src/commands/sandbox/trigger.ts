// `notifykit trigger <scenario>`: stage a payout that runs one of the sandbox's scenarios (chosen by a
// tag in the recipient's email, see packages/sandbox/README.md), like `stripe trigger`.
import type { Command } from 'commander';
import { usageError } from '../../cli-error.js';
import type { CliIO } from '../../output/io.js';
import { stageInputOf } from '../../payouts/flat-fields.js';
import { stagerFor, withExamples, withJson, withStagingTarget } from '../command-options.js';
import { printStageOutcome } from '../disbursements/stage.js';

// The v3 scenarios; `decline` and `slowapprove` need a Managed Parties (v4) payout.
export const TRIGGER_SCENARIOS = ['happy', 'bounce', 'authfail', 'ofac', 'check', 'paypal', 'idle', 'return'] as const;
const MANAGED_ONLY = ['decline', 'slowapprove'];

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
  ]);
  command.action(async (scenario: string, opts: { amount: string; participantUniqueId1?: string; json?: boolean }) => {
    if (MANAGED_ONLY.includes(scenario)) {
      throw usageError(
        `the ${scenario} scenario needs a Managed Parties (v4) payout, which the CLI does not stage yet`,
      );
    }
    if (!(TRIGGER_SCENARIOS as readonly string[]).includes(scenario)) {
      throw usageError(`unknown scenario "${scenario}"`, `one of ${TRIGGER_SCENARIOS.join(', ')}`);
    }
    const tag = scenario === 'happy' ? '' : `+${scenario}`;
    const input = stageInputOf({
      amount: opts.amount,
      first_name: 'Alex',
      last_name: 'Rivera',
      email: `alex${tag}@example.com`,
      mobile: '5125550100',
      auth1_label: 'Last 4 SSN',
      auth1_format: 'XXXX',
      auth1_value: '6789',
      ...(opts.participantUniqueId1 === undefined ? {} : { participant_unique_id1: opts.participantUniqueId1 }),
    });
    const stage = await stagerFor(command, io);
    const outcome = await stage(input, opts.participantUniqueId1);
    printStageOutcome(io, outcome, input.amount, opts.json === true);
    if (!opts.json) io.out(`scenario ${scenario}: follow it with \`notifykit events --follow\``);
  });
}
