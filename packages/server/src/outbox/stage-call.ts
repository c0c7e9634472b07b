import {
  AuthenticationError,
  IngoApiError,
  type IngoClient,
  type ManagedPartyResult,
  ValidationError,
} from '@notifykit/sdk';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { isManagedRequest, type StoredStageRequest } from '../db/stored-request.js';

// One stage call to Ingo and what it achieved, classified for the outbox: staged, permanently
// rejected (the payout fails with Ingo's code), or worth retrying later (the payout waits).

/** Ingo's acceptance, v3 or v4: what the outcome records. `parties` (v4 only) carry Ingo's party ids. */
export interface StagedAnswer {
  status: number;
  clientMessage: string;
  notificationId: string;
  idempotentReplay: boolean;
  parties: ManagedPartyResult[] | undefined;
}

export type StageOutcome =
  | { kind: 'staged'; result: StagedAnswer }
  | { kind: 'rejected'; status: number | null; code: string; message: string }
  | { kind: 'retry'; code: string; message: string };

export interface StageCallMetrics {
  stageCalls: Counter<'outcome'>;
}

/** Classifies a failed stage call: permanent (validation/state families) or worth retrying. */
function classifyStageFailure(error: unknown): StageOutcome {
  if (error instanceof IngoApiError && (error.family === 'validation' || error.family === 'state')) {
    return { kind: 'rejected', status: error.status, code: String(error.status), message: error.clientMessage };
  }
  if (error instanceof ValidationError) {
    return { kind: 'rejected', status: null, code: error.code, message: error.message };
  }
  if (error instanceof IngoApiError) {
    return { kind: 'retry', code: `ingo_${error.status}`, message: error.clientMessage };
  }
  if (error instanceof AuthenticationError) {
    // Our credentials or clock are wrong: an operator must fix them; the payout waits, it does not fail.
    return { kind: 'retry', code: error.code, message: error.message };
  }
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'ERR_UNKNOWN';
  return { kind: 'retry', code, message: error instanceof Error ? error.message : String(error) };
}

const puid1Of = (request: StoredStageRequest) =>
  isManagedRequest(request)
    ? request.transaction.participant_unique_ids.participant_unique_id1
    : request.participant_unique_id1;

/** One call through the API the request belongs to (v3 notify or v4 Managed Parties). */
async function stage(client: IngoClient, request: StoredStageRequest): Promise<StagedAnswer> {
  if (!isManagedRequest(request)) {
    const r = await client.notify.stage(request);
    return { ...r, notificationId: String(r.notificationId), parties: undefined };
  }
  // The request timestamp is the time of this attempt (a retry must not send a stale one): the client fills it.
  const { request: envelope, ...rest } = request;
  const r = await client.managed.stage({ ...rest, request: { participant_id: envelope.participant_id } } as never);
  return {
    status: r.status,
    clientMessage: r.message,
    notificationId: r.notificationId,
    idempotentReplay: r.idempotentReplay,
    parties: r.parties,
  };
}

/** Sends the stage request; never throws: every failure becomes an outcome. */
export async function callStage(
  deps: { client: IngoClient; metrics: StageCallMetrics; logger: Logger },
  request: StoredStageRequest,
): Promise<StageOutcome> {
  try {
    const result = await stage(deps.client, request);
    deps.metrics.stageCalls.inc({ outcome: result.idempotentReplay ? 'replayed' : 'staged' });
    return { kind: 'staged', result };
  } catch (error) {
    const outcome = classifyStageFailure(error);
    deps.metrics.stageCalls.inc({ outcome: outcome.kind === 'rejected' ? 'failed' : 'retry' });
    deps.logger.warn({ err: error, outcome: outcome.kind, puid1: puid1Of(request) }, 'stage call did not succeed');
    return outcome;
  }
}
