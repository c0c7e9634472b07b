import { randomUUID } from 'node:crypto';
import {
  AuthenticationError,
  amountToCents,
  type CancelInput,
  canCancel,
  cancelRefusalReason,
  IngoApiError,
  type IngoClient,
  type ProgramRules,
  type StageRequest,
  type StageResult,
  ValidationError,
  validateStageRequest,
} from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { OutboxSettings } from '../app/config.js';
import type { ServerMetrics } from '../app/metrics.js';
import type { Database } from '../db/connection.js';
import type { FieldCipher } from '../db/field-encryption.js';
import type { DatabaseSchema } from '../db/schema.js';
import { loadStageRequest, storeStageRequest } from '../db/stored-request.js';
import { ApiError } from '../errors.js';
import { type DisbursementRow, disbursementView } from '../http/views.js';
import {
  type AppliedTransition,
  applyEventsToDisbursement,
  attachOrphans,
  forceFailed,
  lockDisbursement,
  readState,
  sweepOrphans,
} from '../lifecycle/apply.js';
import { outboxBackoffMs } from '../outbox/backoff.js';
import { newDisbursementId, newParticipantUniqueId, newTracerId } from './identifiers.js';
import { normalizeSearchText } from './search-text.js';

export interface StagingDependencies {
  database: Database;
  cipher: FieldCipher;
  client: IngoClient;
  participantId: number;
  programRules: Partial<ProgramRules>;
  outbox: OutboxSettings;
  metrics: ServerMetrics;
  logger: Logger;
  /** Identifies this process's outbox claims. */
  instanceId: string;
  /** Test-only: a named point where the process kills itself (crash-recovery tests). */
  crashPoint?: string | undefined;
  now?: () => number;
}

export type StageOutcome =
  | { kind: 'staged'; result: StageResult }
  | { kind: 'rejected'; status: number | null; code: string; message: string }
  | { kind: 'retry'; code: string; message: string };

export interface CreateResult {
  httpStatus: 200 | 201 | 202;
  replayed: boolean;
  disbursement: ReturnType<typeof disbursementView>;
}

function recipientName(request: StageRequest): string {
  const r = request.recipient;
  return r.business_name ?? [r.first_name, r.last_name].filter((x) => x !== undefined).join(' ');
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

/** A timeline row for a local outcome (no webhook behind it). */
async function appendLocalTimeline(
  db: Kysely<DatabaseSchema>,
  entry: {
    disbursement_id: string;
    at: number;
    kind: string;
    status_before: string | null;
    status_after: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('timeline')
    .values({ ...entry, event_seq: null, detail: JSON.stringify(entry.detail) })
    .execute();
}

export class StagingService {
  private readonly now: () => number;

  constructor(private readonly deps: StagingDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /** Validates, stores intent + outbox atomically, then stages. */
  async create(body: unknown, idempotencyKey: string | undefined): Promise<CreateResult> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(422, 'validation_failed', 'the body must be a JSON object (Ingo v3 stage request)', {
        issues: [{ path: '', rule: 'type', message: 'must be an object' }],
      });
    }
    const input = body as Record<string, unknown>;
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.length === 0 || idempotencyKey.length > 100) {
        throw new ApiError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1–100 characters');
      }
      if (input.participant_unique_id1 !== undefined && input.participant_unique_id1 !== idempotencyKey) {
        throw new ApiError(
          422,
          'idempotency_key_mismatch',
          'Idempotency-Key and participant_unique_id1 differ; send one, or the same value in both',
        );
      }
    }
    const filled = {
      ...input,
      participant_id: input.participant_id ?? this.deps.participantId,
      participant_unique_id1: idempotencyKey ?? input.participant_unique_id1 ?? newParticipantUniqueId(),
      tracer_id: input.tracer_id ?? newTracerId(),
    };
    let request: StageRequest;
    try {
      request = validateStageRequest(filled, this.deps.programRules);
    } catch (error) {
      if (error instanceof ValidationError) {
        throw new ApiError(422, 'validation_failed', error.message, { issues: error.issues });
      }
      throw error;
    }
    if (request.participant_id !== this.deps.participantId) {
      throw new ApiError(
        422,
        'unknown_participant',
        `participant_id must be this server's participant (${this.deps.participantId})`,
      );
    }
    const amountCents = amountToCents(request.amount);
    if (amountCents === undefined || amountCents <= 0) {
      throw new ApiError(422, 'validation_failed', 'amount must be a positive decimal dollar amount', {
        issues: [{ path: 'amount', rule: 'format', message: 'must be a decimal dollar amount' }],
      });
    }

    const existing = await this.findByPuid(request.participant_unique_id1);
    if (existing) return this.replay(existing, request, amountCents);

    const now = this.now();
    const id = newDisbursementId(now);
    const name = recipientName(request);
    let row: DisbursementRow;
    try {
      row = await this.deps.database.db.transaction().execute(async (trx) => {
        const inserted: DisbursementRow = {
          id,
          participant_id: request.participant_id,
          participant_unique_id1: request.participant_unique_id1,
          participant_unique_id2: request.participant_unique_id2 ?? null,
          tracer_id: request.tracer_id!,
          notification_id: null,
          amount_cents: amountCents,
          status: 'pending',
          furthest_rank: 0,
          recipient_name: name,
          recipient_name_search: normalizeSearchText(name),
          lifecycle_state: JSON.stringify(readState({ lifecycle_state: '{}' })),
          on_hold: 0,
          ingo_status: null,
          failure_code: null,
          failure_message: null,
          created_at: now,
          updated_at: now,
          staged_at: null,
          funded_at: null,
          time_to_fund_ms: null,
          last_event_at: null,
        };
        await trx.insertInto('disbursements').values(inserted).execute();
        await storeStageRequest(trx, this.deps.cipher, id, request);
        // Claimed by this request for one lease: the worker leaves it alone unless we crash.
        await trx
          .insertInto('outbox')
          .values({
            disbursement_id: id,
            operation: 'stage',
            attempts: 1,
            next_attempt_at: now,
            claimed_until: now + this.deps.outbox.leaseMs,
            claimed_by: this.deps.instanceId,
            last_error: null,
            created_at: now,
          })
          .execute();
        await appendLocalTimeline(trx, {
          disbursement_id: id,
          at: now,
          kind: 'created',
          status_before: null,
          status_after: 'pending',
          detail: { amount: request.amount },
        });
        const attached = await attachOrphans(trx, this.deps.database, inserted, now);
        return attached.row;
      });
    } catch (error) {
      // A concurrent request with the same key won the unique constraint: answer as a replay.
      const raced = await this.findByPuid(request.participant_unique_id1);
      if (raced) return this.replay(raced, request, amountCents);
      throw error;
    }
    this.crashIf('after-outbox-commit');

    const outcome = await this.callStage(request);
    this.crashIf('after-stage-call');
    const final = await this.recordStageOutcome(row.id, outcome, 1);
    return {
      httpStatus: outcome.kind === 'retry' ? 202 : 201,
      replayed: false,
      disbursement: disbursementView(final),
    };
  }

  private async findByPuid(puid1: string): Promise<DisbursementRow | undefined> {
    return this.deps.database.db
      .selectFrom('disbursements')
      .selectAll()
      .where('participant_unique_id1', '=', puid1)
      .executeTakeFirst();
  }

  private replay(existing: DisbursementRow, request: StageRequest, amountCents: number): CreateResult {
    if (existing.amount_cents !== amountCents || existing.recipient_name !== recipientName(request)) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        'participant_unique_id1 (Idempotency-Key) was already used for a disbursement with a different amount or recipient',
        { disbursement_id: existing.id },
      );
    }
    return { httpStatus: 200, replayed: true, disbursement: disbursementView(existing) };
  }

  private crashIf(point: string): void {
    if (this.deps.crashPoint === point) {
      this.deps.logger.warn({ crashPoint: point }, 'test crash point reached: killing the process');
      process.kill(process.pid, 'SIGKILL');
    }
  }

  async callStage(request: StageRequest): Promise<StageOutcome> {
    try {
      const result = await this.deps.client.notify.stage(request);
      this.deps.metrics.stageCalls.inc({ outcome: result.idempotentReplay ? 'replayed' : 'staged' });
      return { kind: 'staged', result };
    } catch (error) {
      const outcome = classifyStageFailure(error);
      this.deps.metrics.stageCalls.inc({ outcome: outcome.kind === 'rejected' ? 'failed' : 'retry' });
      this.deps.logger.warn(
        { err: error, outcome: outcome.kind, puid1: request.participant_unique_id1 },
        'stage call did not succeed',
      );
      return outcome;
    }
  }

  /** Writes what a stage attempt achieved: staged, permanently failed, or back into the outbox with backoff. */
  async recordStageOutcome(id: string, outcome: StageOutcome, attempt: number): Promise<DisbursementRow> {
    const { db } = this.deps.database;
    const now = this.now();
    const { row, transitions } = await db.transaction().execute(async (trx) => {
      const current = await lockDisbursement(trx, this.deps.database, { id });
      if (!current) throw new Error(`disbursement ${id} vanished`);
      const pendingOutbox = await trx
        .selectFrom('outbox')
        .select('disbursement_id')
        .where('disbursement_id', '=', id)
        .executeTakeFirst();
      // Another attempt (a worker after a lease expiry) already settled it: a late answer changes nothing
      // (and a second success must not append a second `staged` entry).
      if (!pendingOutbox && (outcome.kind !== 'staged' || current.staged_at !== null)) {
        return { row: current, transitions: [] as AppliedTransition[] };
      }
      if (outcome.kind === 'retry') {
        const delay = outboxBackoffMs(attempt, this.deps.outbox.baseBackoffMs, this.deps.outbox.maxBackoffMs);
        await trx
          .updateTable('outbox')
          .set({
            next_attempt_at: now + delay,
            claimed_until: null,
            claimed_by: null,
            last_error: `${outcome.code}: ${outcome.message}`.slice(0, 500),
          })
          .where('disbursement_id', '=', id)
          .execute();
        await appendLocalTimeline(trx, {
          disbursement_id: id,
          at: now,
          kind: 'stage_retry',
          status_before: current.status,
          status_after: current.status,
          detail: { attempt, error: outcome.code, message: outcome.message, retry_in_ms: delay },
        });
        return { row: current, transitions: [] as AppliedTransition[] };
      }
      await trx.deleteFrom('outbox').where('disbursement_id', '=', id).execute();
      if (outcome.kind === 'rejected') {
        const state = forceFailed(readState(current));
        const failed: DisbursementRow = {
          ...current,
          status: 'failed',
          lifecycle_state: JSON.stringify(state),
          ingo_status: outcome.status,
          failure_code: outcome.code,
          failure_message: outcome.message,
          updated_at: now,
        };
        await trx
          .updateTable('disbursements')
          .set({
            status: failed.status,
            lifecycle_state: failed.lifecycle_state,
            ingo_status: failed.ingo_status,
            failure_code: failed.failure_code,
            failure_message: failed.failure_message,
            updated_at: now,
          })
          .where('id', '=', id)
          .execute();
        await appendLocalTimeline(trx, {
          disbursement_id: id,
          at: now,
          kind: 'stage_failed',
          status_before: current.status,
          status_after: 'failed',
          detail: { attempt, ingo_status: outcome.status, code: outcome.code, message: outcome.message },
        });
        return {
          row: failed,
          transitions: [
            {
              from: current.status,
              to: 'failed',
              statusChanged: current.status !== 'failed',
              outcome: 'status_changed',
              disbursementId: id,
            },
          ] as AppliedTransition[],
        };
      }
      const r = outcome.result;
      const notificationId = current.notification_id ?? r.notificationId;
      const base: DisbursementRow = {
        ...current,
        notification_id: notificationId,
        ingo_status: r.status,
        staged_at: current.staged_at ?? now,
      };
      await trx
        .updateTable('disbursements')
        .set({ notification_id: notificationId, ingo_status: r.status, staged_at: base.staged_at })
        .where('id', '=', id)
        .execute();
      const applied = await applyEventsToDisbursement(
        trx,
        this.deps.database,
        base,
        [
          {
            event: {
              source: 'local',
              id: `stage:${current.participant_unique_id1}`,
              type: 'stage_accepted',
              occurredAt: now,
            },
            kind: 'staged',
            detail: {
              attempt,
              ingo_status: r.status,
              client_message: r.clientMessage,
              notification_id: r.notificationId,
              idempotent_replay: r.idempotentReplay,
            },
          },
        ],
        now,
      );
      const attached = await attachOrphans(trx, this.deps.database, applied.row, now);
      return { row: attached.row, transitions: [...applied.transitions, ...attached.transitions] };
    });
    this.countTransitions(transitions);
    return row;
  }

  countTransitions(transitions: readonly AppliedTransition[]): void {
    for (const t of transitions) {
      if (t.statusChanged) this.deps.metrics.lifecycleTransitions.inc({ from: t.from, to: t.to });
    }
  }

  /** One worker pass: re-send due outbox rows, then attach orphans whose disbursement now exists. */
  async runWorkerPass(): Promise<number> {
    const processed = await this.processOutbox();
    this.countTransitions(await sweepOrphans(this.deps.database, this.now()));
    return processed;
  }

  /** Claims due outbox rows (safe with several workers) and re-sends them. Returns how many were processed. */
  async processOutbox(): Promise<number> {
    const { db, dialect } = this.deps.database;
    const now = this.now();
    let due = db
      .selectFrom('outbox')
      .select('disbursement_id')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(this.deps.outbox.batchSize);
    // Several instances on one PostgreSQL: SKIP LOCKED hands each row to exactly one claimer.
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    const claimed = await db
      .updateTable('outbox')
      .set((eb) => ({
        claimed_until: now + this.deps.outbox.leaseMs,
        claimed_by: this.deps.instanceId,
        attempts: eb('attempts', '+', 1),
      }))
      .where('disbursement_id', 'in', due)
      .returning(['disbursement_id', 'attempts'])
      .execute();
    await Promise.all(
      claimed.map(async ({ disbursement_id, attempts }) => {
        try {
          const row = await db
            .selectFrom('disbursements')
            .selectAll()
            .where('id', '=', disbursement_id)
            .executeTakeFirst();
          if (!row) {
            await db.deleteFrom('outbox').where('disbursement_id', '=', disbursement_id).execute();
            return;
          }
          const request = await loadStageRequest(db, this.deps.cipher, row.id);
          if (!request) throw new Error(`disbursement ${row.id} has no stored stage request`);
          const outcome = await this.callStage(request);
          this.crashIf('after-stage-call');
          await this.recordStageOutcome(row.id, outcome, attempts);
        } catch (error) {
          this.deps.logger.error(
            { err: error, disbursementId: disbursement_id },
            'outbox item failed; will retry after the lease',
          );
        }
      }),
    );
    return claimed.length;
  }

  async cancel(id: string): Promise<ReturnType<typeof disbursementView>> {
    const { db } = this.deps.database;
    const row = await db.selectFrom('disbursements').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', `no disbursement ${id}`);
    const state = readState(row);
    if (!canCancel(state)) {
      throw new ApiError(
        409,
        'cancel_refused',
        cancelRefusalReason(state) ?? `cannot cancel a ${row.status} disbursement`,
        {
          status: row.status,
        },
      );
    }
    if (row.status === 'pending' || row.notification_id === null) {
      throw new ApiError(
        409,
        'cancel_refused',
        'Cannot cancel: the disbursement is pending — Ingo has not acknowledged the stage call yet; retry once it is staged',
        { status: row.status },
      );
    }
    const request = await loadStageRequest(db, this.deps.cipher, row.id);
    if (!request) throw new Error(`disbursement ${row.id} has no stored stage request`);
    const r = request.recipient;
    const cancelInput: CancelInput = {
      participant_unique_id1: row.participant_unique_id1,
      tracer_id: row.tracer_id,
      amount: request.amount,
      ...(r.business_name !== undefined
        ? { business_name: r.business_name }
        : { first_name: r.first_name, last_name: r.last_name }),
      ...(/^\d{1,15}$/.test(row.notification_id) ? { notification_id: Number(row.notification_id) } : {}),
      ...(request.participant_unique_id2 !== undefined
        ? { participant_unique_id2: request.participant_unique_id2 }
        : {}),
    };
    const now = this.now();
    let result: Awaited<ReturnType<IngoClient['notify']['cancel']>>;
    try {
      result = await this.deps.client.notify.cancel(cancelInput);
    } catch (error) {
      const refused = error instanceof IngoApiError;
      this.deps.metrics.cancelCalls.inc({ outcome: refused ? 'refused' : 'error' });
      await appendLocalTimeline(db, {
        disbursement_id: id,
        at: now,
        kind: refused ? 'cancel_refused' : 'cancel_failed',
        status_before: row.status,
        status_after: row.status,
        detail: refused
          ? { ingo_status: error.status, client_message: error.clientMessage }
          : { error: (error as { code?: string }).code ?? 'ERR_UNKNOWN' },
      });
      if (error instanceof IngoApiError) {
        const status = error.family === 'state' ? 409 : 422;
        throw new ApiError(status, 'cancel_refused_by_ingo', `Ingo refused the cancel: ${error.clientMessage}`, {
          ingo_status: error.status,
          status: row.status,
        });
      }
      throw new ApiError(502, 'ingo_unavailable', 'Ingo could not be reached to cancel; nothing changed, try again', {
        error: (error as { code?: string }).code ?? 'ERR_UNKNOWN',
      });
    }
    this.deps.metrics.cancelCalls.inc({ outcome: result.idempotentReplay ? 'replayed' : 'canceled' });
    try {
      const { row: updated, transitions } = await db.transaction().execute(async (trx) => {
        const locked = await lockDisbursement(trx, this.deps.database, { id });
        if (!locked) throw new Error(`disbursement ${id} vanished`);
        await trx.updateTable('disbursements').set({ ingo_status: result.status }).where('id', '=', id).execute();
        return applyEventsToDisbursement(
          trx,
          this.deps.database,
          { ...locked, ingo_status: result.status },
          [
            {
              event: {
                source: 'local',
                id: `cancel:${row.participant_unique_id1}`,
                type: 'cancel_accepted',
                occurredAt: now,
              },
              kind: 'canceled',
              detail: { ingo_status: result.status, client_message: result.clientMessage },
            },
          ],
          now,
        );
      });
      this.countTransitions(transitions);
      return disbursementView(updated);
    } catch (error) {
      // Ingo has canceled; only our record of it failed. Saying "nothing changed" would be false.
      this.deps.logger.error({ err: error, disbursementId: id }, 'cancel accepted by Ingo but not recorded');
      throw new ApiError(
        500,
        'cancel_not_recorded',
        'Ingo accepted the cancel but recording it here failed; repeat the call (Ingo answers a repeated cancel as already done) or wait for its webhook',
        { status: row.status, ingo_status: result.status },
      );
    }
  }
}

export function newInstanceId(): string {
  return `nk-${process.pid}-${randomUUID().slice(0, 8)}`;
}
