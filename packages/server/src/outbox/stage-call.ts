import {
  AuthenticationError,
  IngoApiError,
  type IngoClient,
  type StageRequest,
  type StageResult,
  ValidationError,
} from '@notifykit/sdk';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';

// One stage call to Ingo and what it achieved, classified for the outbox: staged, permanently
// rejected (the payout fails with Ingo's code), or worth retrying later (the payout waits).

export type StageOutcome =
  | { kind: 'staged'; result: StageResult }
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

/** Sends the stage request; never throws: every failure becomes an outcome. */
export async function callStage(
  deps: { client: IngoClient; metrics: StageCallMetrics; logger: Logger },
  request: StageRequest,
): Promise<StageOutcome> {
  try {
    const result = await deps.client.notify.stage(request);
    deps.metrics.stageCalls.inc({ outcome: result.idempotentReplay ? 'replayed' : 'staged' });
    return { kind: 'staged', result };
  } catch (error) {
    const outcome = classifyStageFailure(error);
    deps.metrics.stageCalls.inc({ outcome: outcome.kind === 'rejected' ? 'failed' : 'retry' });
    deps.logger.warn(
      { err: error, outcome: outcome.kind, puid1: request.participant_unique_id1 },
      'stage call did not succeed',
    );
    return outcome;
  }
}
