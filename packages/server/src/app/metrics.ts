import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CancelMetrics } from '../disbursements/cancel.js';
import type { StageCallMetrics } from '../outbox/stage-call.js';
import type { WebhookMetrics } from '../webhooks/endpoint.js';

/**
 * The server's Prometheus metrics, in their own registry so several servers can live in one process.
 * Each feature names the metrics it records (its `…Metrics` interface); this class is all of them.
 */
export class ServerMetrics implements WebhookMetrics, StageCallMetrics, CancelMetrics {
  readonly registry = new Registry();
  readonly webhooksReceived: Counter<'topic_kind'>;
  readonly webhooksDuplicate: Counter;
  readonly webhooksOrphaned: Counter;
  readonly webhooksRejected: Counter<'reason'>;
  readonly webhooksQuarantined: Counter<'reason'>;
  readonly webhooksTimestampFlagged: Counter<'kind'>;
  readonly webhookBatchSize: Histogram;
  readonly stageCalls: Counter<'outcome'>;
  readonly cancelCalls: Counter<'outcome'>;
  readonly lifecycleTransitions: Counter<'from' | 'to'>;
  readonly requestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly outboxDepth: Gauge;
  readonly outboxOldestAge: Gauge;

  /** Observes one request's latency; the labelled child is looked up once per label combination. */
  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const key = `${method} ${statusCode} ${route}`;
    let child = this.requestDurationByLabels.get(key);
    if (child === undefined) {
      child = this.requestDuration.labels({ method, route, status_code: String(statusCode) });
      this.requestDurationByLabels.set(key, child);
    }
    child.observe(seconds);
  }

  // prom-client hashes the label object on every observe; routes × methods × statuses are few.
  private readonly requestDurationByLabels = new Map<string, { observe(value: number): void }>();

  constructor(outbox: () => Promise<{ depth: number; oldestCreatedAt: number | null }>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'notifykit_' });
    this.webhooksReceived = new Counter({
      name: 'notifykit_webhooks_received_total',
      help: 'Verified webhooks committed to the inbox (first deliveries), by lifecycle classification',
      labelNames: ['topic_kind'],
      registers,
    });
    this.webhooksDuplicate = new Counter({
      name: 'notifykit_webhooks_duplicate_total',
      help: 'Verified webhooks whose metadata.id was already in the inbox (acknowledged, no effect)',
      registers,
    });
    this.webhooksOrphaned = new Counter({
      name: 'notifykit_webhooks_orphaned_total',
      help: 'Webhooks parked because no disbursement matched them yet',
      registers,
    });
    this.webhooksRejected = new Counter({
      name: 'notifykit_webhooks_rejected_total',
      help: 'Webhooks refused (nothing stored), by reason',
      labelNames: ['reason'],
      registers,
    });
    this.webhooksQuarantined = new Counter({
      name: 'notifykit_webhooks_quarantined_total',
      help: 'Verified webhooks kept in the quarantine (not storable as events: a NUL or an over-long identifier), by reason',
      labelNames: ['reason'],
      registers,
    });
    this.webhooksTimestampFlagged = new Counter({
      name: 'notifykit_webhooks_timestamp_flagged_total',
      help: 'Verified webhooks applied but flagged for their date: kind="future" (beyond the tolerance) or "before_staged"',
      labelNames: ['kind'],
      registers,
    });
    this.webhookBatchSize = new Histogram({
      name: 'notifykit_webhook_commit_batch_size',
      help: 'Webhooks committed per group-commit transaction',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    this.stageCalls = new Counter({
      name: 'notifykit_stage_calls_total',
      help: 'Stage calls to Ingo, by outcome (staged, replayed, failed, retry)',
      labelNames: ['outcome'],
      registers,
    });
    this.cancelCalls = new Counter({
      name: 'notifykit_cancel_calls_total',
      help: 'Cancel calls to Ingo, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.lifecycleTransitions = new Counter({
      name: 'notifykit_lifecycle_transitions_total',
      help: 'Disbursement status changes',
      labelNames: ['from', 'to'],
      registers,
    });
    this.requestDuration = new Histogram({
      name: 'notifykit_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.outboxDepth = new Gauge({
      name: 'notifykit_outbox_depth',
      help: 'Stage requests waiting in the outbox (not yet acknowledged by Ingo)',
      registers,
      async collect() {
        try {
          this.set((await outbox()).depth);
        } catch {
          // A scrape during shutdown or a database outage keeps the last value rather than failing /metrics.
        }
      },
    });
    this.outboxOldestAge = new Gauge({
      name: 'notifykit_outbox_oldest_age_seconds',
      help: 'Age of the oldest stage request still in the outbox (0 when it is empty): how far behind staging is',
      registers,
      async collect() {
        try {
          const { oldestCreatedAt } = await outbox();
          this.set(oldestCreatedAt === null ? 0 : Math.max(0, Date.now() - oldestCreatedAt) / 1000);
        } catch {
          // As above: keep the last value.
        }
      },
    });
  }
}
