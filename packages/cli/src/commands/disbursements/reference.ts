// `get` and `cancel` take a disbursement id (dsb_…) or a payout's own reference — participant_unique_id1,
// tracer_id or Ingo's notification_id — resolved through the list API's text search, exact matches only.
import { CliError } from '../../cli-error.js';
import type { ServerApi } from '../../connection/server-api.js';

const DISBURSEMENT_ID = /^dsb_[0-9a-f]{28}$/;

export async function disbursementIdOf(api: ServerApi, reference: string): Promise<string> {
  if (DISBURSEMENT_ID.test(reference)) return reference;
  const { body } = await api.call<{ data: Record<string, unknown>[] }>('GET', '/disbursements', {
    query: { q: reference, limit: 20 },
  });
  const matches = body.data.filter((d) =>
    [d.participant_unique_id1, d.participant_unique_id2, d.tracer_id, d.notification_id].includes(reference),
  );
  if (matches.length === 1) return String(matches[0]!.id);
  if (matches.length === 0) {
    throw new CliError(
      `no payout with id, participant_unique_id1, tracer_id or notification_id "${reference}"`,
      'find it with `notifykit list --search …`',
    );
  }
  throw new CliError(`"${reference}" names ${matches.length} payouts`, 'use the dsb_… id from `notifykit list`');
}
