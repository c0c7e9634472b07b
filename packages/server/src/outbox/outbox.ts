import { randomUUID } from 'node:crypto';
import type { IngoClient } from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import type { FieldCipher } from '../db/field-encryption.js';
import type { DatabaseSchema, DisbursementRow } from '../db/schema.js';
import { loadStageRequest, type StoredStageRequest } from '../db/stored-request.js';
import { sweepOrphans } from '../lifecycle/orphans.js';
import { countTransitions, type LifecycleMetrics } from '../lifecycle/transitions.js';
import type { CrashHook } from './crash-points.js';
import { callStage, type StageCallMetrics, type StageOutcome } from './stage-call.js';
import { recordStageOutcome } from './stage-outcome.js';

// The outbox makes staging at-least-once with Ingo's idempotency key, so exactly-once in effect: the
// intent (an outbox row beside the stored request) commits with the disbursement; the first attempt is
// made at once by the request that created it; a worker re-sends due rows with backoff until Ingo
// answers, with leases so that several instances on one PostgreSQL never send a row twice at once.

export interface OutboxSettings {
  /** How often the worker looks for due rows. */
  pollIntervalMs: number;
  /** How long a claimed row stays invisible to other workers (covers one stage call). */
  leaseMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  batchSize: number;
}

export interface OutboxDependencies {
  database: Database;
  cipher: FieldCipher;
  client: IngoClient;
  settings: OutboxSettings;
  metrics: StageCallMetrics & LifecycleMetrics;
  logger: Logger;
  /** Identifies this process's claims. */
  instanceId: string;
  crash: CrashHook;
  now?: () => number;
}

export function newInstanceId(): string {
  return `nk-${process.pid}-${randomUUID().slice(0, 8)}`;
}

export class Outbox {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: OutboxDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Inside the transaction that creates the disbursement: the stage intent, claimed by this instance for
   * one lease, so the worker leaves it to the creating request unless this process dies.
   */
  async enqueue(trx: Kysely<DatabaseSchema>, disbursementId: string, now: number): Promise<void> {
    await trx
      .insertInto('outbox')
      .values({
        disbursement_id: disbursementId,
        operation: 'stage',
        attempts: 1,
        next_attempt_at: now,
        claimed_until: now + this.deps.settings.leaseMs,
        claimed_by: this.deps.instanceId,
        last_error: null,
        created_at: now,
      })
      .execute();
  }

  /** One stage attempt: the call, then its outcome recorded. */
  async attempt(
    disbursementId: string,
    request: StoredStageRequest,
    attempt: number,
  ): Promise<{ row: DisbursementRow; outcome: StageOutcome }> {
    const outcome = await callStage(this.deps, request);
    this.deps.crash('after-stage-call');
    const { row, transitions } = await recordStageOutcome(
      { database: this.deps.database, backoff: this.deps.settings, now: this.now },
      disbursementId,
      outcome,
      attempt,
    );
    countTransitions(this.deps.metrics, transitions);
    return { row, outcome };
  }

  /** One worker pass: re-send due rows, then attach orphans whose disbursement now exists. */
  async runPass(): Promise<number> {
    const claimed = await this.claimDue();
    await Promise.all(claimed.map((row) => this.resend(row.disbursement_id, row.attempts)));
    countTransitions(this.deps.metrics, await sweepOrphans(this.deps.database, this.now()));
    return claimed.length;
  }

  /**
   * Starts the worker: one pass at a time, every pollIntervalMs — or at once after a full batch, since a
   * backlog is left (the Ingo client's rate limiter, not this timer, sets the pace then).
   */
  start(): void {
    this.stopped = false;
    const tick = () => {
      let claimed = 0;
      this.running = this.runPass()
        .then((n) => {
          claimed = n;
        })
        .catch((error) => this.deps.logger.error({ err: error }, 'outbox pass failed'))
        .finally(() => {
          if (this.stopped) return;
          const backlog = claimed >= this.deps.settings.batchSize;
          this.timer = setTimeout(tick, backlog ? 0 : this.deps.settings.pollIntervalMs);
        });
    };
    tick();
  }

  /** Stops the worker; resolves once the pass in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Claims due rows (safe with several workers): a lease and one more attempt each. */
  private async claimDue(): Promise<{ disbursement_id: string; attempts: number }[]> {
    const { db, dialect } = this.deps.database;
    const now = this.now();
    let due = db
      .selectFrom('outbox')
      .select('disbursement_id')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('next_attempt_at')
      .limit(this.deps.settings.batchSize);
    // Several instances on one PostgreSQL: SKIP LOCKED hands each row to exactly one claimer.
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    return db
      .updateTable('outbox')
      .set((eb) => ({
        claimed_until: now + this.deps.settings.leaseMs,
        claimed_by: this.deps.instanceId,
        attempts: eb('attempts', '+', 1),
      }))
      .where('disbursement_id', 'in', due)
      .returning(['disbursement_id', 'attempts'])
      .execute();
  }

  private async resend(disbursementId: string, attempts: number): Promise<void> {
    const { db } = this.deps.database;
    try {
      const exists = await db
        .selectFrom('disbursements')
        .select('id')
        .where('id', '=', disbursementId)
        .executeTakeFirst();
      if (!exists) {
        await db.deleteFrom('outbox').where('disbursement_id', '=', disbursementId).execute();
        return;
      }
      const request = await loadStageRequest(db, this.deps.cipher, disbursementId);
      if (!request) throw new Error(`disbursement ${disbursementId} has no stored stage request`);
      await this.attempt(disbursementId, request, attempts);
    } catch (error) {
      this.deps.logger.error({ err: error, disbursementId }, 'outbox item failed; will retry after the lease');
    }
  }
}
