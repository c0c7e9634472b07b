import {
  amountToCents,
  formatCents,
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
import { type StoredStageRequest, storeStageRequest } from '../db/stored-request.js';
import {
  IdempotencyKeyMismatch,
  IdempotencyKeyReused,
  InvalidIdempotencyKey,
  InvalidRequest,
  UnknownParticipant,
} from '../errors.js';
import { readState } from '../lifecycle/apply.js';
import type { StoredParty } from '../lifecycle/managed-parties.js';
import { attachOrphans } from '../lifecycle/orphans.js';
import { appendLocalTimeline } from '../lifecycle/timeline.js';
import { countTransitions, type LifecycleMetrics } from '../lifecycle/transitions.js';
import type { CrashHook } from '../outbox/crash-points.js';
import type { Outbox } from '../outbox/outbox.js';
import { newDisbursementId, newParticipantUniqueId } from './identifiers.js';
import { managedRequestFrom } from './managed-request.js';
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

/** What a create call stages, whichever Ingo API it goes through (v3 Classic or v4 Managed Parties). */
interface PreparedStage {
  request: StoredStageRequest;
  puid1: string;
  puid2: string | null;
  tracerId: string;
  amountCents: number;
  amountText: string;
  recipientName: string;
  /** Managed Parties: the parties stored on the row; null for a classic payout. */
  parties: StoredParty[] | null;
}

/** The body as an object, with the Idempotency-Key checked against its participant_unique_id1. */
function keyedInput(body: unknown, idempotencyKey: string | undefined): Record<string, unknown> {
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
  return input;
}

/** The stage request as it will be sent: normalized, validated, with the server's participant and generated ids. */
function classicStage(
  deps: CreateDependencies,
  input: Record<string, unknown>,
  idempotencyKey: string | undefined,
): PreparedStage {
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
  const amountCents = amountToCents(request.amount);
  if (amountCents === undefined || amountCents <= 0) {
    throw new InvalidRequest('validation_failed', 'amount must be a positive decimal dollar amount', {
      issues: [{ path: 'amount', rule: 'format', message: 'must be a decimal dollar amount' }],
    });
  }
  return {
    request,
    puid1: request.participant_unique_id1,
    puid2: request.participant_unique_id2 ?? null,
    tracerId: request.tracer_id!,
    amountCents,
    amountText: request.amount,
    recipientName: recipientName(request),
    parties: null,
  };
}

/** A body with `parties` is a Managed Parties (v4) payout. */
function managedStage(
  deps: CreateDependencies,
  input: Record<string, unknown>,
  idempotencyKey: string | undefined,
): PreparedStage {
  const puid1 =
    idempotencyKey ??
    (typeof input.participant_unique_id1 === 'string' ? input.participant_unique_id1 : newParticipantUniqueId());
  const tracerId = typeof input.tracer_id === 'string' ? input.tracer_id : newTracerId();
  const managed = managedRequestFrom(input, { participantId: deps.participantId, puid1, tracerId }, deps.programRules);
  const recipient = managed.parties.find((p) => p.role === 0)!;
  return {
    request: managed.request,
    puid1,
    puid2: managed.request.transaction.participant_unique_ids.participant_unique_id2 ?? null,
    tracerId,
    amountCents: managed.amountCents,
    amountText: formatCents(managed.amountCents),
    recipientName: recipient.name,
    parties: managed.parties,
  };
}

/** Validates, stores the disbursement with its intent (outbox) atomically, then makes the first stage attempt. */
export async function createDisbursement(
  deps: CreateDependencies,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<CreateResult> {
  const input = keyedInput(body, idempotencyKey);
  const prepared =
    'parties' in input ? managedStage(deps, input, idempotencyKey) : classicStage(deps, input, idempotencyKey);

  const existing = await findByPuid(deps.database, prepared.puid1);
  if (existing) return replay(existing, prepared);

  const now = (deps.now ?? Date.now)();
  const id = newDisbursementId(now);
  const name = prepared.recipientName;
  let created: { row: DisbursementRow; transitions: Parameters<typeof countTransitions>[1] };
  try {
    created = await deps.database.db.transaction().execute(async (trx) => {
      const inserted: DisbursementRow = {
        id,
        participant_id: deps.participantId,
        participant_unique_id1: prepared.puid1,
        participant_unique_id2: prepared.puid2,
        tracer_id: prepared.tracerId,
        notification_id: null,
        amount_cents: prepared.amountCents,
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
        managed_parties: prepared.parties === null ? null : JSON.stringify(prepared.parties),
      };
      await trx.insertInto('disbursements').values(inserted).execute();
      await storeStageRequest(trx, deps.cipher, id, prepared.request);
      await deps.outbox.enqueue(trx, id, now);
      await appendLocalTimeline(trx, {
        disbursement_id: id,
        at: now,
        kind: 'created',
        status_before: null,
        status_after: 'pending',
        detail: { amount: prepared.amountText, ...(prepared.parties === null ? {} : { kind: 'managed' }) },
      });
      return attachOrphans(trx, deps.database, inserted, now);
    });
  } catch (error) {
    // A concurrent request with the same key won the unique constraint: answer as a replay.
    const raced = await findByPuid(deps.database, prepared.puid1);
    if (raced) return replay(raced, prepared);
    throw error;
  }
  countTransitions(deps.metrics, created.transitions);
  deps.crash('after-outbox-commit');

  const { row, outcome } = await deps.outbox.attempt(created.row.id, prepared.request, 1);
  return { outcome: outcome.kind === 'retry' ? 'retrying' : outcome.kind, row };
}

async function findByPuid(database: Database, puid1: string): Promise<DisbursementRow | undefined> {
  return database.db
    .selectFrom('disbursements')
    .selectAll()
    .where('participant_unique_id1', '=', puid1)
    .executeTakeFirst();
}

function replay(existing: DisbursementRow, prepared: PreparedStage): CreateResult {
  if (existing.amount_cents !== prepared.amountCents || existing.recipient_name !== prepared.recipientName) {
    throw new IdempotencyKeyReused(existing.id);
  }
  return { outcome: 'replayed', row: existing };
}
