// What the reducer consumes: Ingo's normalized webhooks and notifykit's own local outcomes, plus the
// context that tells a Managed recipient's events from an approver's.

import type { IngoWebhookEvent } from '../webhooks/event.js';

/** Outcomes notifykit learns from its own calls to Ingo rather than from a webhook. */
export type LocalEventType =
  /** Stage response status 100 or 101. */
  | 'stage_accepted'
  /** Cancel response status 100 (or 101 for a repeated cancel). */
  | 'cancel_accepted'
  /**
   * A cancel whose outcome is unknown (the client's `CancelOutcomeUnknownError`): it moves no status and raises
   * the `cancel_outcome_unknown` attention flag until the lifecycle settles it — a canceled webhook, or
   * any step past the point where a cancel could still take effect.
   */
  | 'cancel_outcome_unknown';

export interface LocalLifecycleEvent {
  source: 'local';
  /** Unique per event, e.g. `stage:<participant_unique_id1>`; kept as `local:<id>` in `appliedEventIds`. */
  id: string;
  type: LocalEventType;
  occurredAt: Date | string | number;
}

export type LifecycleEvent = IngoWebhookEvent | LocalLifecycleEvent;

/**
 * What the reducer needs to know beyond the events. Pass the same context for every event of one
 * disbursement (it is part of what makes the result order-independent).
 */
export interface LifecycleContext {
  /**
   * The recipient's Managed `party_id` (from the v4 stage response). A `transaction.party.*` event counts
   * for the recipient when its `party_id` equals this, or when it carries no `party_id` (Classic: the
   * recipient is the only party). Without it, party events with a `party_id` are recorded but move
   * nothing, because an approver's notification or failed authentication must not move the payout.
   */
  recipientPartyId?: string | undefined;
  /**
   * The Managed parties of the v4 stage response with their roles. The role-0 party is the recipient when
   * `recipientPartyId` is not given; with any approver, the payout is `approved` only after
   * `approvals.complete` (the approval gate), and party events fill {@link DisbursementState.parties}.
   */
  parties?: readonly ManagedPartyRef[] | undefined;
}

export type ManagedPartyRole = 'recipient' | 'approver' | 'interested';

/** A party as the stage response names it. */
export interface ManagedPartyRef {
  partyId: string;
  role: ManagedPartyRole | undefined;
}

/** Ingo's numeric role (0 recipient, 1 approver, 2 interested party) as a {@link ManagedPartyRole}. */
export function partyRoleName(role: number | undefined): ManagedPartyRole | undefined {
  return role === 0 ? 'recipient' : role === 1 ? 'approver' : role === 2 ? 'interested' : undefined;
}
