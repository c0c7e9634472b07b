// `notifykit cancel <id>`: cancel an unclaimed payout through the server.
import type { Command } from 'commander';
import { ServerApi } from '../../connection/server-api.js';
import { SERVER_SETTINGS, withSettings } from '../../connection/settings.js';
import { colourStatus } from '../../output/format.js';
import { type CliIO, printJson } from '../../output/io.js';
import { settingsOf, withExamples, withJson } from '../command-options.js';
import { disbursementIdOf } from './reference.js';

export function registerCancel(program: Command, io: CliIO): void {
  const command = withJson(withSettings(program.command('cancel'), SERVER_SETTINGS))
    .description('cancel a payout the recipient has not claimed yet')
    .argument('<id>', 'the disbursement id (dsb_…), or its participant_unique_id1, tracer_id or notification_id');
  withExamples(command, ['notifykit cancel dsb_0123456789abcdef0123456789ab', 'notifykit cancel claim-1001 --json']);
  command.action(async (id: string, opts: { json?: boolean }) => {
    const api = ServerApi.from(settingsOf(command, io));
    const dsb = await disbursementIdOf(api, id);
    const response = await api.call<Record<string, unknown>>('POST', `/disbursements/${dsb}/cancel`);
    const view = response.body;
    if (opts.json) return printJson(io, view);
    if (response.status === 202) {
      io.out(`cancel sent for ${dsb}; Ingo's answer was lost, so the outcome is unknown: the server retries it`);
    } else if (response.headers.get('idempotent-replayed') === 'true') {
      io.out(`${dsb} was already canceled`);
    } else {
      io.out(`canceled ${dsb} (status ${colourStatus(io, String(view.status))})`);
    }
  });
}
