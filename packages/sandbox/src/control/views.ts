// The JSON the control API shows: a notification (state, parties, events, the redacted stage request)
// and a delivery with its attempt log. Timestamps are ISO strings; the stored rows stay in virtual ms.

import { snapshotOf } from '../simulation/engine.js';
import { lifecycleStatusOf, type MachineState } from '../simulation/machine.js';
import { nextScenarioStep, type ScenarioName } from '../simulation/scenarios.js';
import type { DeliveryView, NotificationRow } from '../store/rows.js';
import type { SandboxStore } from '../store/sandbox-store.js';

const PARTY_ROLE_NAMES: Readonly<Record<number, string>> = { 0: 'recipient', 1: 'approver', 2: 'interested' };

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function notificationJson(store: SandboxStore, row: NotificationRow) {
  const state = row.state as MachineState;
  const next =
    row.next_step_at === null
      ? undefined
      : nextScenarioStep(row.scenario as ScenarioName, snapshotOf(row, store.parties(row.id)));
  return {
    notification_id: row.id,
    api_version: row.api_version,
    participant_id: row.participant_id,
    participant_unique_id1: row.puid1,
    participant_unique_id2: row.puid2,
    tracer_id: row.tracer_id,
    amount: row.amount,
    recipient: {
      first_name: row.first_name,
      last_name: row.last_name,
      business_name: row.business_name,
      email: row.email,
    },
    scenario: row.scenario,
    state,
    status: lifecycleStatusOf(state),
    hold: row.hold,
    authentication_failures: row.auth_failures,
    account_type: row.account_type,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    next_step_at: iso(row.next_step_at),
    next_action: next?.input.action ?? null,
    expires_at: iso(row.expires_at),
    parties: store.parties(row.id).map((p) => ({
      party_id: p.party_id,
      role: p.role,
      role_name: PARTY_ROLE_NAMES[p.role] ?? 'unknown',
      client_provided_id: p.client_provided_id,
      // An approver's own progress (notified, viewed, authenticated, approved, declined); the recipient's is the payout's.
      state: p.role === 0 ? lifecycleStatusOf(state) : p.state,
      decision: p.state === 'approved' || p.state === 'declined' ? p.state : null,
    })),
    events: store.events(row.id).map((e) => ({
      id: e.id,
      topic: e.topic,
      created_at: iso(e.created_at),
      payload: JSON.parse(e.body) as unknown,
    })),
    request: JSON.parse(row.request_json) as unknown,
  };
}

export function deliveryJson(store: SandboxStore, d: DeliveryView) {
  return {
    event_id: d.event_id,
    notification_id: d.notification_id,
    topic: d.topic,
    url: d.url,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: iso(d.next_attempt_at),
    delivered_at: iso(d.delivered_at),
    last_http_status: d.last_http_status,
    last_error: d.last_error,
    attempt_log: store.attemptsOf(d.event_id).map((a) => ({
      attempt: a.attempt,
      url: a.url,
      started_at: iso(a.started_at),
      http_status: a.http_status,
      error: a.error,
      latency_ms: a.latency_ms,
      outcome: a.outcome,
      next_retry_at: iso(a.next_retry_at),
    })),
  };
}
