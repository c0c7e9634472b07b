import {
  amountToCents,
  newTracerId,
  normalizeStagePhones,
  type ProgramRules,
  type StageRequest,
  ValidationError,
  validateStageRequest,
} from '@notifykit/sdk';
import type { Database } from '../db/connection.js';
import type { FieldCipher } from '../db/field-encryption.js';
import type { DisbursementRow } from '../db/schema.js';
import { storeStageRequest } from '../db/stored-request.js';
import {
  IdempotencyKeyMismatch,
  IdempotencyKeyReused,
  InvalidIdempotencyKey,
  InvalidRequest,
  UnknownParticipant,
} from '../errors.js';
import { readState } from '../lifecycle/apply.js';
import { attachOrphans } from '../lifecycle/orphans.js';
import { appendLocalTimeline } from '../lifecycle/timeline.js';
import { countTransitions, type LifecycleMetrics } from '../lifecycle/transitions.js';
import type { CrashHook } from '../outbox/crash-points.js';
import type { Outbox } from '../outbox/outbox.js';
import { newDisbursementId, newParticipantUniqueId } from './identifiers.js';
import { normalizeSearchText } from './search-text.js';

export interface CreateDependencies {
  database: Database;
  cipher: FieldCipher;
  outbox: Outbox;
  participantId: number;
  programRules: Partial<ProgramRules>;
  metrics: LifecycleMetrics;
  crash: CrashHook;
  now?: () => number;
}

/**
 * What creating achieved: `replayed` (the idempotency key named an existing disbursement), `staged`
 * (Ingo accepted), `rejected` (Ingo refused it for good: the disbursement is failed) or `retrying`
 * (Ingo unreachable: pending, the outbox retries).
 */
export interface CreateResult {
  outcome: 'replayed' | 'staged' | 'rejected' | 'retrying';
  row: DisbursementRow;
}

function recipientName(request: StageRequest): string {
  const r = request.recipient;
  return r.business_name ?? [r.first_name, r.last_name].filter((x) => x !== undefined).join(' ');
}

/** The stage request as it will be sent: normalized, validated, with the server's participant and generated ids. */
function stageRequestFrom(deps: CreateDependencies, body: unknown, idempotencyKey: string | undefined): StageRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequest('validation_failed', 'the body must be a JSON object (Ingo v3 stage request)', {
      issues: [{ path: '', rule: 'type', message: 'must be an object' }],
    });
  }
  const input = body as Record<string, unknown>;
  if (idempotencyKey !== undefined) {
    if (idempotencyKey.length === 0 || idempotencyKey.length > 100) {
      throw new InvalidIdempotencyKey('Idempotency-Key must be 1–100 characters');
    }
    if (input.participant_unique_id1 !== undefined && input.participant_unique_id1 !== idempotencyKey) {
      throw new IdempotencyKeyMismatch(
        'Idempotency-Key and participant_unique_id1 differ; send one, or the same value in both',
      );
    }
  }
  const filled = {
    ...input,
    participant_id: input.participant_id ?? deps.participantId,
    participant_unique_id1: idempotencyKey ?? input.participant_unique_id1 ?? newParticipantUniqueId(),
    tracer_id: input.tracer_id ?? newTracerId(),
  };
  let request: StageRequest;
  try {
    // As tolerant as the SDK client: US phone spellings are normalized before the strict rules apply.
    request = validateStageRequest(normalizeStagePhones(filled, deps.programRules), deps.programRules);
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new InvalidRequest('validation_failed', error.message, { issues: error.issues });
    }
    throw error;
  }
  if (request.participant_id !== deps.participantId) {
    throw new UnknownParticipant(`participant_id must be this server's participant (${deps.participantId})`);
  }
  return request;
}

/** Validates, stores the disbursement with its intent (outbox) atomically, then makes the first stage attempt. */
export async function createDisbursement(
  deps: CreateDependencies,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<CreateResult> {
  const request = stageRequestFrom(deps, body, idempotencyKey);
  const amountCents = amountToCents(request.amount);
  if (amountCents === undefined || amountCents <= 0) {
    throw new InvalidRequest('validation_failed', 'amount must be a positive decimal dollar amount', {
      issues: [{ path: 'amount', rule: 'format', message: 'must be a decimal dollar amount' }],
    });
  }

  const existing = await findByPuid(deps.database, request.participant_unique_id1);
  if (existing) return replay(existing, request, amountCents);

  const now = (deps.now ?? Date.now)();
  const id = newDisbursementId(now);
  const name = recipientName(request);
  let created: { row: DisbursementRow; transitions: Parameters<typeof countTransitions>[1] };
  try {
    created = await deps.database.db.transaction().execute(async (trx) => {
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
      await storeStageRequest(trx, deps.cipher, id, request);
      await deps.outbox.enqueue(trx, id, now);
      await appendLocalTimeline(trx, {
        disbursement_id: id,
        at: now,
        kind: 'created',
        status_before: null,
        status_after: 'pending',
        detail: { amount: request.amount },
      });
      return attachOrphans(trx, deps.database, inserted, now);
    });
  } catch (error) {
    // A concurrent request with the same key won the unique constraint: answer as a replay.
    const raced = await findByPuid(deps.database, request.participant_unique_id1);
    if (raced) return replay(raced, request, amountCents);
    throw error;
  }
  countTransitions(deps.metrics, created.transitions);
  deps.crash('after-outbox-commit');

  const { row, outcome } = await deps.outbox.attempt(created.row.id, request, 1);
  return { outcome: outcome.kind === 'retry' ? 'retrying' : outcome.kind, row };
}

async function findByPuid(database: Database, puid1: string): Promise<DisbursementRow | undefined> {
  return database.db
    .selectFrom('disbursements')
    .selectAll()
    .where('participant_unique_id1', '=', puid1)
    .executeTakeFirst();
}

function replay(existing: DisbursementRow, request: StageRequest, amountCents: number): CreateResult {
  if (existing.amount_cents !== amountCents || existing.recipient_name !== recipientName(request)) {
    throw new IdempotencyKeyReused(existing.id);
  }
  return { outcome: 'replayed', row: existing };
}
