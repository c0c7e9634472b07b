// The scenario engine: runs the simulated recipients on the virtual clock. Every step (automatic,
// manual through the control API, or a gateway cancel) is one transaction that moves the machine state,
// stores the emitted events, queues their deliveries and plans the next step; nothing is announced to
// the delivery worker before it has committed.

import { randomUUID } from 'node:crypto';
import { CATALOG_TOPICS } from '@notifykit/sdk';
import type { Logger } from 'pino';
import type { SandboxConfig } from '../config/config.js';
import type { DeliveryWorker } from '../delivery/worker.js';
import type { NotificationRow, PartyRow } from '../store/rows.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { type ApproverSnapshot, type ApproverState, managedTopic } from './approvals.js';
import type { VirtualClock } from './clock.js';
import {
  type AccountType,
  type Emission,
  isUnclaimed,
  type MachineInput,
  type MachineSnapshot,
  type MachineState,
  transition,
} from './machine.js';
import { buildEnvelope } from './payloads.js';
import { nextScenarioStep, type ScenarioName } from './scenarios.js';

export interface EmittedEvent {
  id: string;
  topic: string;
}

export type ActionOutcome =
  | { ok: true; notification: NotificationRow; events: EmittedEvent[] }
  | { ok: false; reason: string; notification: NotificationRow };

/** Steps run per timer tick before yielding to the event loop, so a backlog never starves requests. */
const STEPS_PER_TICK = 200;
const MAX_TIMER_MS = 60_000;

function authenticationLabels(requestJson: string): string[] {
  const request = JSON.parse(requestJson) as { authentication_records?: { field_label?: unknown }[] };
  return (request.authentication_records ?? [])
    .map((r) => r.field_label)
    .filter((label): label is string => typeof label === 'string');
}

/** The approvers (role 1) among a notification's parties, with their own progress. */
function approversOf(parties: readonly PartyRow[]): ApproverSnapshot[] {
  return parties.filter((p) => p.role === 1).map((p) => ({ partyId: p.party_id, state: p.state as ApproverState }));
}

export function snapshotOf(row: NotificationRow, parties: readonly PartyRow[] = []): MachineSnapshot {
  return {
    state: row.state as MachineState,
    hold: row.hold,
    authFailures: row.auth_failures,
    accountType: row.account_type as AccountType | null,
    authenticationLabels: authenticationLabels(row.request_json),
    approvers: approversOf(parties),
  };
}

export class ScenarioEngine {
  private timer: NodeJS.Timeout | undefined;
  private timerAt: number | undefined;
  private stopped = true;

  constructor(
    private readonly store: SandboxStore,
    private readonly clock: VirtualClock,
    private readonly config: SandboxConfig,
    private readonly delivery: DeliveryWorker,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
  }

  /** Virtual time of the scenario's first step for a disbursement staged at `at`, or null if it waits. */
  firstStepAt(scenario: ScenarioName, snapshot: MachineSnapshot, at: number): number | null {
    const step = nextScenarioStep(scenario, snapshot);
    return step === undefined ? null : at + step.delayMs;
  }

  /**
   * Stores events and queues their deliveries. Call inside a store transaction; topics without a name
   * in the configured dialect are skipped.
   */
  private emit(row: NotificationRow, emissions: readonly Emission[], at: number): EmittedEvent[] {
    const emitted: EmittedEvent[] = [];
    const realNow = Date.now();
    const v4 = row.api_version === 'v4';
    const recipientPartyId = v4 ? (this.store.parties(row.id).find((p) => p.role === 0)?.party_id ?? '') : '';
    for (const emission of emissions) {
      const id = randomUUID();
      const partyId = emission.partyId ?? recipientPartyId;
      const envelope = buildEnvelope({
        topic: v4 ? managedTopic(emission) : emission.topic,
        dialect: this.config.topics,
        eventId: id,
        at,
        notification: {
          id: row.id,
          puid1: row.puid1,
          puid2: row.puid2,
          sessionId: row.session_id,
          amount: row.amount,
          accountType: row.account_type,
        },
        partyId,
        ...(emission.fields === undefined ? {} : { fields: emission.fields }),
      });
      if (envelope === undefined) continue;
      this.store.insertEvent({
        id,
        notification_id: row.id,
        topic: envelope.topic,
        body: envelope.body,
        created_at: at,
      });
      if (this.config.webhookUrl !== null) {
        this.store.enqueueDelivery(id, this.config.webhookUrl, this.delivery.firstAttemptAt(realNow));
      }
      emitted.push({ id, topic: envelope.topic });
    }
    return emitted;
  }

  /** Emits the `notification sent` event of a freshly staged disbursement (inside the stage transaction). */
  staged(row: NotificationRow): EmittedEvent[] {
    if (row.api_version !== 'v4') {
      return this.emit(row, [{ topic: CATALOG_TOPICS.recipientNotificationSent }], row.created_at);
    }
    // v4: every party is notified on its own, each event with its party_id.
    const sent = this.store
      .parties(row.id)
      .map((p) => ({ topic: CATALOG_TOPICS.partyNotificationSent, partyId: p.party_id }));
    return this.emit(row, sent, row.created_at);
  }

  /** The machine snapshot of a stored notification, its approvers included. */
  snapshot(row: NotificationRow): MachineSnapshot {
    return snapshotOf(row, this.store.parties(row.id));
  }

  /**
   * Applies one action inside the caller's transaction. `base` is when the action happens in virtual
   * time: the next automatic step is planned from it, so a backlog after downtime replays at its pace.
   */
  applyInTransaction(row: NotificationRow, input: MachineInput, base: number): ActionOutcome {
    const before = this.snapshot(row);
    const result = transition(before, input);
    if (!result.ok) return { ok: false, reason: result.reason, notification: row };
    const next = result.next;
    for (const approver of next.approvers) {
      const previous = before.approvers.find((a) => a.partyId === approver.partyId);
      if (previous?.state !== approver.state) this.store.updatePartyState(approver.partyId, approver.state);
    }
    // Scenarios decide for themselves; `return` acts after funded, which is terminal for everything else.
    const step = nextScenarioStep(row.scenario as ScenarioName, next);
    const updated: NotificationRow = {
      ...row,
      state: next.state,
      hold: next.hold,
      auth_failures: next.authFailures,
      account_type: next.accountType,
      updated_at: base,
      next_step_at: step === undefined ? null : base + step.delayMs,
      expires_at: isUnclaimed(next.state) ? row.expires_at : null,
    };
    this.store.updateNotification(row.id, {
      state: updated.state,
      hold: updated.hold,
      auth_failures: updated.auth_failures,
      account_type: updated.account_type,
      updated_at: updated.updated_at,
      next_step_at: updated.next_step_at,
      expires_at: updated.expires_at,
    });
    const events = this.emit(updated, result.emits, this.clock.now());
    return { ok: true, notification: updated, events };
  }

  /** Tells the engine and the delivery worker what a committed transaction changed. */
  committed(outcome: { events: readonly EmittedEvent[] }, notification: NotificationRow | undefined): void {
    if (outcome.events.length > 0 && this.config.webhookUrl !== null) this.delivery.wake();
    if (notification) {
      const due = [notification.next_step_at, notification.expires_at].filter((v): v is number => v !== null);
      if (due.length > 0) this.noteDue(Math.min(...due));
    }
  }

  /** A control action on a participant's disbursement; undefined when it is not theirs or does not exist. */
  act(notificationId: number, participantId: number, input: MachineInput): ActionOutcome | undefined {
    const outcome = this.store.transaction(() => {
      const row = this.store.getNotification(notificationId);
      if (!row || row.participant_id !== participantId) return undefined;
      return this.applyInTransaction(row, input, this.clock.now());
    });
    if (outcome?.ok) {
      this.logger.info(
        { notificationId, action: input.action, state: outcome.notification.state, origin: 'control' },
        'control action applied',
      );
      this.committed(outcome, outcome.notification);
    }
    return outcome;
  }

  /**
   * Runs every step and expiry due at the current virtual time, up to `limit`; returns how many ran.
   * A chunk of due disbursements shares one transaction (one fsync); each runs in its own savepoint, so
   * a step that throws rolls back alone, is logged, and stops that disbursement's schedule instead of
   * failing the chunk forever.
   */
  private runDue(limit = Number.POSITIVE_INFINITY): number {
    let ran = 0;
    let emitted = 0;
    while (ran < limit) {
      const now = this.clock.now();
      const rows = this.store.dueNotifications(now, Math.min(100, limit - ran));
      if (rows.length === 0) break;
      this.store.transaction(() => {
        for (const candidate of rows) {
          ran++;
          try {
            emitted += this.store.transaction(() => {
              const row = this.store.getNotification(candidate.id);
              if (!row || row.due_at === null || row.due_at > now) return 0;
              return this.dueStep(row).length;
            });
          } catch (error) {
            this.logger.error(
              { notificationId: candidate.id, err: { message: (error as Error).message } },
              'scenario step failed; the scenario of this disbursement is stopped',
            );
            this.store.updateNotification(candidate.id, { next_step_at: null, expires_at: null });
          }
        }
      });
    }
    if (emitted > 0) this.delivery.wake();
    return ran;
  }

  private dueStep(row: NotificationRow) {
    const expiring = row.expires_at !== null && (row.next_step_at === null || row.expires_at <= row.next_step_at);
    if (expiring) {
      const outcome = this.applyInTransaction(row, { action: 'expire' }, row.expires_at!);
      if (outcome.ok) return outcome.events;
      this.store.updateNotification(row.id, { expires_at: null });
      return [];
    }
    const step = nextScenarioStep(row.scenario as ScenarioName, this.snapshot(row));
    const outcome = step === undefined ? undefined : this.applyInTransaction(row, step.input, row.next_step_at!);
    if (outcome?.ok) {
      this.logger.debug(
        { notificationId: row.id, action: step!.input.action, state: outcome.notification.state },
        'scenario step',
      );
      return outcome.events;
    }
    // The scenario has nothing (more) to do from here: wait for a manual action or the TTL.
    this.store.updateNotification(row.id, { next_step_at: null });
    return [];
  }

  /** Advances the virtual clock and runs everything that fell due, before returning. */
  advance(ms: number): { now: number; steps: number } {
    const now = this.clock.advance(ms);
    const steps = this.runDue();
    this.reschedule();
    return { now, steps };
  }

  /** A step is due at virtual `at`: make sure the timer fires by then. */
  private noteDue(at: number): void {
    if (this.stopped || this.clock.speed === 0) return;
    if (this.timerAt !== undefined && this.timerAt <= at) return;
    this.reschedule();
  }

  private tick(): void {
    if (this.stopped) return;
    this.timer = undefined;
    this.timerAt = undefined;
    const ran = this.runDue(STEPS_PER_TICK);
    if (ran >= STEPS_PER_TICK) {
      this.timerAt = this.clock.now();
      this.timer = setTimeout(() => this.tick(), 0);
      return;
    }
    this.reschedule();
  }

  private reschedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = undefined;
    const at = this.store.nextNotificationDueAt();
    if (at === null) return;
    const delay = this.clock.realDelayUntil(at);
    if (delay === undefined) return; // speed 0: only an advance or an action moves things
    this.timerAt = at;
    this.timer = setTimeout(() => this.tick(), Math.min(delay, MAX_TIMER_MS));
  }
}
