// Staging one payout, through the notifykit server (the default: durable, tracked) or straight to Ingo
// or the sandbox with the SDK (`--direct`). `stage`, `trigger` and `bulk stage` all stage through this.
import { randomUUID } from 'node:crypto';
import type { IngoClient, StageInput } from '@notifykit/sdk';
import type { ServerApi } from '../connection/server-api.js';

/** What `stage --json` prints and what the bulk results CSV records. */
export interface StageOutcome {
  via: 'server' | 'direct';
  /** The server's disbursement id (`dsb_…`); null with `--direct`. */
  disbursement_id: string | null;
  participant_unique_id1: string;
  notification_id: string | null;
  tracer_id: string | null;
  /** The server's status, or `staged` for a direct stage Ingo accepted. */
  status: string;
  /** The key named a payout staged before: nothing new was staged. */
  replayed: boolean;
  /** The whole server view (server only). */
  disbursement?: Record<string, unknown>;
}

export type Stager = (input: StageInput, idempotencyKey?: string) => Promise<StageOutcome>;

export function serverStager(api: ServerApi): Stager {
  return async (input, key) => {
    const response = await api.call<Record<string, unknown>>('POST', '/disbursements', {
      body: input,
      ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
    });
    const view = response.body;
    return {
      via: 'server',
      disbursement_id: String(view.id),
      participant_unique_id1: String(view.participant_unique_id1),
      notification_id: (view.notification_id as string | null) ?? null,
      tracer_id: (view.tracer_id as string | null) ?? null,
      status: String(view.status),
      replayed: response.headers.get('idempotent-replayed') === 'true',
      disbursement: view,
    };
  };
}

export function directStager(client: IngoClient): Stager {
  return async (input, key) => {
    // Ingo requires the key; like the server, generate one when the payout has none.
    const participantUniqueId1 = key ?? (input.participant_unique_id1 as string | undefined) ?? `nk-${randomUUID()}`;
    const result = await client.notify.stage({ ...input, participant_unique_id1: participantUniqueId1 });
    return {
      via: 'direct',
      disbursement_id: null,
      participant_unique_id1: result.participantUniqueId1,
      notification_id: result.notificationId || null,
      tracer_id: result.tracerId || null,
      status: 'staged',
      replayed: result.idempotentReplay,
    };
  };
}
