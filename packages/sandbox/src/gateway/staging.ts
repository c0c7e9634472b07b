// What staging a disbursement means in the sandbox whatever the API version: the velocity check, the
// stored notification row with its scenario schedule, and its first event. notify-v3.ts and notify-v4.ts
// differ only in the body they read and the envelope they answer with.

import { randomUUID } from 'node:crypto';
import type { ResolvedCredential } from '../config/credentials.js';
import type { SandboxContext } from '../http/context.js';
import { utcDay } from '../simulation/clock.js';
import type { EmittedEvent } from '../simulation/engine.js';
import { selectScenario } from '../simulation/scenarios.js';
import type { ApiVersion, NewNotification, NotificationRow, PartyRow } from '../store/rows.js';

export type StageOutcome =
  | { kind: 'created'; row: NotificationRow; events: EmittedEvent[] }
  | { kind: 'replay'; row: NotificationRow }
  | { kind: 'reused' }
  | { kind: 'velocity' };

export interface StagedFields {
  apiVersion: ApiVersion;
  puid1: string;
  puid2: string;
  tracerId: string;
  amount: string;
  cents: number;
  recipient: {
    first_name: string | null;
    last_name: string | null;
    business_name: string | null;
    email: string | null;
  };
  /** The stage request, redacted (nothing secret is kept at rest). */
  requestJson: string;
  /** The parties to store (v3: the recipient alone), without their notification id and creation time. */
  parties: Omit<PartyRow, 'notification_id' | 'created_at'>[];
}

const sameName = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);

/**
 * Stages inside one store transaction: 101 material (same amount and recipient name) for a known key,
 * 601 for a reused one, 610 past the daily limit, or the notification, its parties and first events.
 */
export function stageInTransaction(
  ctx: SandboxContext,
  credential: ResolvedCredential,
  fields: StagedFields,
): StageOutcome {
  const { store, clock, engine, config } = ctx;
  const existing = store.findNotification(credential.participantId, fields.puid1);
  if (existing) {
    const r = fields.recipient;
    const same =
      existing.api_version === fields.apiVersion &&
      existing.amount_cents === fields.cents &&
      sameName(existing.first_name, r.first_name) &&
      sameName(existing.last_name, r.last_name) &&
      sameName(existing.business_name, r.business_name);
    return same ? { kind: 'replay', row: existing } : { kind: 'reused' };
  }
  const now = clock.now();
  const day = utcDay(now);
  if (
    credential.dailyLimitCents !== null &&
    store.stagedCentsOn(credential.participantId, day) + fields.cents > credential.dailyLimitCents
  ) {
    return { kind: 'velocity' };
  }
  const scenario = selectScenario(fields.recipient.email);
  const fresh: NewNotification = {
    participant_id: credential.participantId,
    username: credential.username,
    api_version: fields.apiVersion,
    puid1: fields.puid1,
    puid2: fields.puid2,
    tracer_id: fields.tracerId,
    amount: fields.amount,
    amount_cents: fields.cents,
    ...fields.recipient,
    session_id: randomUUID(),
    scenario,
    state: 'notified',
    hold: null,
    auth_failures: 0,
    account_type: null,
    request_json: fields.requestJson,
    request_timestamp: Math.floor(now / 1000),
    cancel_json: null,
    check_action_json: null,
    stage_day: day,
    created_at: now,
    updated_at: now,
    next_step_at: null,
    expires_at: now + config.ttlMs,
  };
  const id = store.insertNotification(fresh);
  for (const party of fields.parties) store.insertParty({ ...party, notification_id: id, created_at: now });
  const row: NotificationRow = { ...fresh, id, due_at: null };
  row.next_step_at = engine.firstStepAt(scenario, engine.snapshot(row), now);
  if (row.next_step_at !== null) store.updateNotification(id, { next_step_at: row.next_step_at });
  return { kind: 'created', row, events: engine.staged(row) };
}
