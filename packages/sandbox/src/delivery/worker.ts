// The webhook outbox worker. Events are queued in the same transaction that emits them, so the queue is
// as durable as the events; this worker drains it: signs each body with the SDK's signWebhook, POSTs it
// with a deadline, records every attempt, and reschedules failures on the retry schedule with ±20 %
// jitter until the event is delivered or `exhausted`. Order is not guaranteed, exactly like Ingo.

import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '@notifykit/sdk';
import type { Logger } from 'pino';
import type { SandboxConfig } from '../config/config.js';
import type { AttemptOutcome, AttemptRow, DeliveryRow } from '../store/rows.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { type PostResult, WebhookTransport } from './transport.js';

/** Stops waking up further ahead than this, so a changed wall clock is noticed within a minute. */
const MAX_TIMER_MS = 60_000;
/** ±20 % (sandbox README): retries of many events failing together spread out instead of arriving in a wave. */
const RETRY_JITTER = 0.2;

/** A retry delay from the schedule with its jitter applied; `random` is in [0, 1). */
export function jitteredDelay(delayMs: number, random: number): number {
  return Math.round(delayMs * (1 - RETRY_JITTER + 2 * RETRY_JITTER * random));
}

/** The attempts-table row for one POST of `row`'s event. */
function attemptRecord(
  row: DeliveryRow,
  attempt: number,
  startedAt: number,
  result: Pick<PostResult, 'httpStatus' | 'error' | 'latencyMs'>,
  outcome: AttemptOutcome,
  nextRetryAt: number | null,
): Omit<AttemptRow, 'id'> {
  return {
    event_id: row.event_id,
    url: row.url,
    attempt,
    started_at: startedAt,
    latency_ms: result.latencyMs,
    http_status: result.httpStatus,
    error: result.error,
    outcome,
    next_retry_at: nextRetryAt,
  };
}

export class DeliveryWorker {
  private readonly transport: WebhookTransport;
  /** Event ids being attempted, per URL: the bound on per-endpoint concurrency. */
  private readonly inFlight = new Map<string, Set<string>>();
  private readonly running = new Set<Promise<void>>();
  /** Every URL that may have pending deliveries: the configured one, those found at start, redelivery targets. */
  private readonly urls = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private wakeQueued = false;
  private stopped = true;

  constructor(
    private readonly store: SandboxStore,
    private readonly config: SandboxConfig,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
  ) {
    this.transport = new WebhookTransport(config.webhookTimeoutMs, config.deliveryConcurrency);
  }

  start(): void {
    this.stopped = false;
    if (this.config.webhookUrl !== null) this.urls.add(this.config.webhookUrl);
    for (const url of this.store.pendingDeliveryUrls()) this.urls.add(url);
    this.wake();
  }

  /**
   * Changes where events emitted from now on are delivered (null: record only). Deliveries already
   * queued keep their URL.
   */
  setWebhookUrl(url: string | null): void {
    this.config.webhookUrl = url;
    if (url !== null) this.watch(url);
  }

  /** Registers a URL that deliveries were queued for outside the configured one (redelivery). */
  watch(url: string): void {
    this.urls.add(url);
  }

  /** When a freshly emitted event's first attempt may go out: now, or later within the reorder window. */
  firstAttemptAt(realNow: number): number {
    return this.config.reorderWindowMs > 0
      ? realNow + Math.floor(this.random() * this.config.reorderWindowMs)
      : realNow;
  }

  /** Asks the worker to look at the queue soon (after the current transaction has committed). */
  wake(): void {
    if (this.stopped || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(() => {
      this.wakeQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopped) return;
    const now = Date.now();
    for (const url of this.urls) {
      let busy = this.inFlight.get(url);
      if (!busy) {
        busy = new Set();
        this.inFlight.set(url, busy);
      }
      const free = this.config.deliveryConcurrency - busy.size;
      if (free <= 0) continue;
      const rows = this.store.dueDeliveries(url, now, free + busy.size);
      for (const row of rows) {
        if (busy.size >= this.config.deliveryConcurrency) break;
        if (busy.has(row.event_id)) continue;
        busy.add(row.event_id);
        const run = this.attempt(row, row.body).finally(() => {
          busy.delete(row.event_id);
          this.running.delete(run);
          this.wake();
        });
        this.running.add(run);
      }
    }
    this.armTimer(now);
  }

  private armTimer(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.store.nextDeliveryAfter(now);
    if (next === null) return;
    this.timer = setTimeout(() => this.pump(), Math.min(Math.max(0, next - now), MAX_TIMER_MS));
  }

  private headers(body: string): Record<string, string> {
    return {
      'content-type': 'application/json',
      'user-agent': 'notifykit-sandbox',
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(body, this.config.webhookSecret, {
        algorithm: this.config.webhookAlgorithm,
        encoding: this.config.webhookEncoding,
      }),
    };
  }

  private async attempt(row: DeliveryRow, body: string): Promise<void> {
    const startedAt = Date.now();
    const result = await this.transport.post(row.url, body, this.headers(body));
    if (result.aborted) return; // shutting down: the row stays pending and is attempted after restart
    const attempt = row.attempts + 1;
    const delivered = result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300;
    const error = delivered ? null : (result.error ?? `HTTP ${result.httpStatus}`);
    const failures = delivered ? 0 : row.cycle_failures + 1;
    const schedule = this.config.retryScheduleMs;
    const exhausted = !delivered && failures > schedule.length;
    const nextAttemptAt =
      delivered || exhausted ? null : Date.now() + jitteredDelay(schedule[failures - 1]!, this.random());
    const outcome: AttemptOutcome = delivered ? 'delivered' : exhausted ? 'exhausted' : 'failed';
    await this.store.recordAttempt(
      attemptRecord(row, attempt, startedAt, { ...result, error }, outcome, nextAttemptAt),
      {
        status: delivered ? 'delivered' : exhausted ? 'exhausted' : 'pending',
        attempts: attempt,
        cycle_failures: failures,
        next_attempt_at: nextAttemptAt,
        last_attempt_at: startedAt,
        last_http_status: result.httpStatus,
        last_error: error,
        delivered_at: delivered ? Date.now() : null,
      },
    );
    const log = { eventId: row.event_id, attempt, httpStatus: result.httpStatus, latencyMs: result.latencyMs };
    if (delivered) this.logger.debug(log, 'webhook delivered');
    else if (exhausted) this.logger.warn({ ...log, error }, 'webhook retries exhausted');
    else this.logger.info({ ...log, error, nextAttemptAt }, 'webhook attempt failed; will retry');

    if (delivered && this.config.duplicateRate > 0 && this.random() < this.config.duplicateRate) {
      await this.sendDuplicate(row, body, attempt + 1);
    }
  }

  // --duplicate-rate: the same event (same metadata.id) once more, as Ingo may do; recorded, not retried.
  private async sendDuplicate(row: DeliveryRow, body: string, attempt: number): Promise<void> {
    const startedAt = Date.now();
    const result = await this.transport.post(row.url, body, this.headers(body));
    if (result.aborted) return;
    await this.store.recordAttempt(attemptRecord(row, attempt, startedAt, result, 'duplicate', null), {
      ...row,
      attempts: attempt,
    });
  }

  /**
   * Stops dispatching, lets attempts in flight finish for up to `graceMs`, then cuts the rest short
   * (they stay queued and go out after the next start: a duplicate at worst, never a loss).
   */
  async stop(graceMs = 1_000): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running.size > 0) {
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, graceMs);
      });
      await Promise.race([Promise.allSettled([...this.running]), grace]);
      clearTimeout(graceTimer);
    }
    this.transport.close();
    await Promise.allSettled([...this.running]);
  }
}
