// The disbursement lifecycle of docs/lifecycle.md as a pure reducer. Webhooks arrive duplicated,
// delayed and reordered, so the state keeps commutative evidence (maxima, set unions, OR-flags,
// last-writer-wins registers ordered by event time then id) and derives the status from it: applying
// any permutation and duplication of any event set yields the same state. That includes contradictory
// sets: of two different terminal outcomes the later event time wins (ties by event id), and the set of
// outcomes seen records the contradiction.

import type { IngoWebhookEvent } from '../webhooks/event.js';
import type { LifecycleContext, LifecycleEvent, LocalEventType } from './events.js';
import {
  hasApprovers,
  partyOfEvent,
  partyProgressOf,
  recipientPartyIdOf,
  withPartyDecision,
  withPartyProgress,
} from './parties.js';
import {
  type ApprovalDecision,
  type AttentionCode,
  type AttentionFact,
  type DisbursementState,
  type EventStamp,
  type HoldState,
  initialState,
  type LifecycleEvidence,
  type TerminalOutcome,
  type ZoneStatus,
} from './state.js';
import { type DisbursementStatus, isTerminal, STATUS_RANK } from './statuses.js';
import { classifyTopic, type SideFact, type StatusCondition } from './topic-rules.js';

const LOCAL_STATUS: Readonly<Record<LocalEventType, DisbursementStatus | undefined>> = {
  stage_accepted: 'staged',
  cancel_accepted: 'canceled',
  cancel_outcome_unknown: undefined,
};

function eventKey(event: LifecycleEvent): string {
  return event.source === 'local' ? `local:${event.id}` : event.id;
}

/** True when the state has already applied this event (same id): applying it again changes nothing. */
export function wasApplied(state: DisbursementState, event: LifecycleEvent): boolean {
  return hasSorted(state.appliedEventIds, eventKey(event));
}

function eventTimeMs(event: LifecycleEvent): number | undefined {
  if (event.source === 'local') {
    const t = event.occurredAt instanceof Date ? event.occurredAt.getTime() : new Date(event.occurredAt).getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  return event.occurredAt?.getTime();
}

// Ties in event time (Ingo stamps whole seconds) are broken by what most plausibly happened last, then
// by id, so the order is total and the register's merge is commutative.
const ZONE_TIE: Readonly<Record<ZoneStatus, number>> = { notified: 0, bounced: 1, viewed: 2 };

function compareStamps(a: EventStamp, b: EventStamp): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  if (a.tie !== b.tie) return a.tie - b.tie;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function insertSorted(list: readonly string[], value: string): readonly string[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return [...list.slice(0, lo), value, ...list.slice(lo)];
}

function hasSorted(list: readonly string[], value: string): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = list[mid]!;
    if (v === value) return true;
    if (v < value) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

const maxDefined = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

const HOLD_ORDER: Readonly<Record<HoldState, number>> = { none: 0, open: 1, released: 2 };
const maxHold = (a: HoldState, b: HoldState): HoldState => (HOLD_ORDER[b] > HOLD_ORDER[a] ? b : a);

function isRecipientEvent(event: IngoWebhookEvent, context: LifecycleContext | undefined): boolean {
  if (event.partyId === undefined) return true;
  const recipient = recipientPartyIdOf(context);
  return recipient !== undefined && recipient !== '' && event.partyId === recipient;
}

function attemptsExhaustedWithHardMismatch(event: IngoWebhookEvent): boolean {
  if (event.kind !== 'authentication') return false;
  const { attemptCount, maxAttempts, hardMismatch } = event.details;
  return attemptCount !== undefined && maxAttempts !== undefined && attemptCount >= maxAttempts && hardMismatch;
}

function conditionsHold(
  conditions: readonly StatusCondition[],
  event: IngoWebhookEvent,
  context: LifecycleContext | undefined,
): boolean {
  for (const condition of conditions) {
    if (condition === 'recipient_party' && !isRecipientEvent(event, context)) return false;
    // Derived instead (deriveStatus): approved once the gate is open and the recipient has claimed.
    if (condition === 'recipient_claimed' && hasApprovers(context)) return false;
    // `after_funded` is not checked here: a return is remembered and takes effect once funded is known.
  }
  return true;
}

/** The approval gate of a payout with approvers: `none` without approvers. */
type Gate = 'none' | 'closed' | 'open';

function deriveStatus(evidence: LifecycleEvidence, gate: Gate): DisbursementStatus {
  const terminal = evidence.terminal?.status;
  if (terminal !== undefined) return terminal === 'funded' && evidence.returnSeen ? 'returned' : terminal;
  // With approvers, `approved` waits for `approvals.complete` (docs/lifecycle.md): until then the payout
  // shows what it reached before; once the gate is open, a recipient who has claimed is approved.
  let progress = gate === 'closed' && evidence.progress === 'approved' ? evidence.preApproval : evidence.progress;
  if (gate === 'open' && progress === 'claimed') progress = 'approved';
  if (STATUS_RANK[progress] >= STATUS_RANK.authenticated) return progress;
  const latest = evidence.latestNotification;
  if (latest !== undefined) {
    if (latest.status === 'bounced') return 'bounced';
    return evidence.viewed ? 'viewed' : 'notified';
  }
  return progress;
}

function withStatus(evidence: LifecycleEvidence, status: DisbursementStatus, stamp: EventStamp): LifecycleEvidence {
  switch (status) {
    case 'notified':
    case 'viewed':
    case 'bounced': {
      const candidate = { status, stamp: { ...stamp, tie: ZONE_TIE[status] } };
      const latest = evidence.latestNotification;
      return {
        ...evidence,
        viewed: evidence.viewed || status === 'viewed',
        latestNotification:
          latest === undefined || compareStamps(candidate.stamp, latest.stamp) > 0 ? candidate : latest,
      };
    }
    case 'funded':
    case 'failed':
    case 'canceled':
    case 'expired':
      return withTerminal(evidence, status, stamp);
    case 'returned':
      return evidence.returnSeen ? evidence : { ...evidence, returnSeen: true };
    default: {
      const progress = STATUS_RANK[status] > STATUS_RANK[evidence.progress] ? status : evidence.progress;
      const preApproval =
        STATUS_RANK[status] < STATUS_RANK.approved && STATUS_RANK[status] > STATUS_RANK[evidence.preApproval]
          ? status
          : evidence.preApproval;
      return progress === evidence.progress && preApproval === evidence.preApproval
        ? evidence
        : { ...evidence, progress, preApproval };
    }
  }
}

/** Records a terminal outcome: the latest by event time (then id) wins; every distinct outcome is kept. */
function withTerminal(evidence: LifecycleEvidence, status: TerminalOutcome, stamp: EventStamp): LifecycleEvidence {
  const current = evidence.terminal;
  const terminal = current === undefined || compareStamps(stamp, current.stamp) > 0 ? { status, stamp } : current;
  const outcomes = evidence.terminalOutcomes.includes(status)
    ? evidence.terminalOutcomes
    : [...evidence.terminalOutcomes, status].sort();
  return terminal === current && outcomes === evidence.terminalOutcomes
    ? evidence
    : { ...evidence, terminal, terminalOutcomes: outcomes };
}

/** Raises an attention flag, keeping the latest event (by time, then id) that raised it. */
function withAttention(
  state: DisbursementState,
  code: AttentionCode,
  stamp: EventStamp,
  fact: Pick<AttentionFact, 'reasonCode' | 'partyId'>,
): DisbursementState {
  const current = state.attention[code];
  if (current !== undefined) {
    const currentStamp = { atMs: current.at === undefined ? 0 : Date.parse(current.at), tie: 0, id: current.eventId };
    if (compareStamps(stamp, currentStamp) <= 0) return state;
  }
  const next: AttentionFact = {
    at: stamp.atMs > 0 ? new Date(stamp.atMs).toISOString() : undefined,
    eventId: stamp.id,
    ...fact,
  };
  return { ...state, attention: { ...state.attention, [code]: next } };
}

/**
 * `cancel_outcome_unknown` while a cancel with an unknown outcome could still be the one that decides:
 * settled by `canceled` (it landed) or by any step past `authenticated` or any other terminal status
 * (the payout went on, so it did not). Derived from the evidence, so it is order-independent too.
 */
function withCancelAttention(
  attention: DisbursementState['attention'],
  evidence: LifecycleEvidence,
  status: DisbursementStatus,
): DisbursementState['attention'] {
  const pending = evidence.cancelOutcomeUnknown;
  const unsettled = pending !== undefined && !isTerminal(status) && STATUS_RANK[status] <= STATUS_RANK.authenticated;
  const current = attention.cancel_outcome_unknown;
  if (!unsettled) {
    if (current === undefined) return attention;
    const { cancel_outcome_unknown: _settled, ...rest } = attention;
    return rest;
  }
  if (current !== undefined && current.eventId === pending.id) return attention;
  const fact: AttentionFact = {
    at: pending.atMs > 0 ? new Date(pending.atMs).toISOString() : undefined,
    eventId: pending.id,
    reasonCode: undefined,
    partyId: undefined,
  };
  return { ...attention, cancel_outcome_unknown: fact };
}

function finish(
  state: DisbursementState,
  evidence: LifecycleEvidence,
  context: LifecycleContext | undefined,
): DisbursementState {
  const gate: Gate = !hasApprovers(context) ? 'none' : state.holds.approvals === 'released' ? 'open' : 'closed';
  const status = deriveStatus(evidence, gate);
  const onHold = !isTerminal(status) && (state.holds.ofac === 'open' || state.holds.approvals === 'open');
  return { ...state, status, onHold, attention: withCancelAttention(state.attention, evidence, status), evidence };
}

/**
 * Applies one event and returns the new state (the input is never mutated). A duplicate (same id) or an
 * unknown topic returns the given state unchanged. Late events are recorded (id, time, side facts) but
 * do not move the status. Use {@link describeTransition} to learn what an event did.
 */
export function applyEvent(
  state: DisbursementState,
  event: LifecycleEvent,
  context?: LifecycleContext,
): DisbursementState {
  const key = eventKey(event);
  if (hasSorted(state.appliedEventIds, key)) return state;
  const atMs = eventTimeMs(event);
  // An event without a time sorts before every dated one.
  const stamp: EventStamp = { atMs: atMs !== undefined && atMs > 0 ? atMs : 0, tie: 0, id: key };

  let next: DisbursementState;
  let evidence = state.evidence;
  if (event.source === 'local') {
    next = { ...state };
    const status = LOCAL_STATUS[event.type];
    if (status !== undefined) evidence = withStatus(evidence, status, stamp);
    else if (evidence.cancelOutcomeUnknown === undefined || compareStamps(stamp, evidence.cancelOutcomeUnknown) > 0) {
      evidence = { ...evidence, cancelOutcomeUnknown: stamp };
    }
  } else {
    const classification = classifyTopic(event.canonicalTopic);
    if (classification.effect === 'unknown') return state;
    next = { ...state };
    if (classification.status !== undefined && conditionsHold(classification.conditions, event, context)) {
      evidence = withStatus(evidence, classification.status, stamp);
    }
    const progress = partyProgressOf(classification.status);
    const party = progress === undefined ? undefined : partyOfEvent(event, context);
    if (progress !== undefined && party !== undefined) {
      next.parties = withPartyProgress(next.parties, party, progress, context);
    }
    for (const fact of classification.sideFacts) {
      const updated = recordSideFact(next, evidence, fact, event, context, stamp);
      next = updated.state;
      evidence = updated.evidence;
    }
  }
  next.appliedEventIds = insertSorted(state.appliedEventIds, key);
  if (atMs !== undefined) {
    const iso = new Date(atMs).toISOString();
    if (next.lastEventAt === undefined || iso > next.lastEventAt) next.lastEventAt = iso;
  }
  return finish(next, evidence, context);
}

function recordSideFact(
  state: DisbursementState,
  evidence: LifecycleEvidence,
  fact: SideFact,
  event: IngoWebhookEvent,
  context: LifecycleContext | undefined,
  stamp: EventStamp,
): { state: DisbursementState; evidence: LifecycleEvidence } {
  switch (fact) {
    case 'auth_attempts': {
      if (!isRecipientEvent(event, context)) return { state, evidence };
      if (event.kind !== 'authentication' && event.kind !== 'otac') return { state, evidence };
      return {
        state: {
          ...state,
          authAttempts: maxDefined(state.authAttempts, event.details.attemptCount),
          maxAuthAttempts: maxDefined(state.maxAuthAttempts, event.details.maxAttempts),
        },
        evidence,
      };
    }
    case 'account': {
      const current = evidence.accountStamp;
      if (current !== undefined && compareStamps(stamp, current) <= 0) return { state, evidence };
      const account =
        event.kind === 'tokenization'
          ? {
              accountType: event.details.accountType,
              accountTokenRef: event.details.customerAccountToken,
              accountId: event.details.accountId,
            }
          : { accountType: 'CK', accountTokenRef: undefined, accountId: undefined };
      return { state: { ...state, ...account }, evidence: { ...evidence, accountStamp: stamp } };
    }
    case 'approval_decision': {
      // A decision without a party_id cannot be attributed; its status effect (a decline) still applies.
      if (event.kind !== 'approval' || event.partyId === undefined) return { state, evidence };
      const decision: ApprovalDecision = event.details.step === 'declined' ? 'declined' : 'approved';
      const parties = withPartyDecision(state.parties, event.partyId, decision, stamp, context);
      const withParties = parties === state.parties ? state : { ...state, parties };
      const previous = state.approvals[event.partyId];
      if (previous === 'declined' || previous === decision) return { state: withParties, evidence };
      return { state: { ...withParties, approvals: { ...state.approvals, [event.partyId]: decision } }, evidence };
    }
    case 'ofac_hold_opened':
    case 'ofac_hold_cleared': {
      const ofac = maxHold(state.holds.ofac, fact === 'ofac_hold_opened' ? 'open' : 'released');
      return { state: { ...state, holds: { ...state.holds, ofac } }, evidence };
    }
    case 'approvals_hold_opened':
    case 'approvals_hold_released': {
      const approvals = maxHold(state.holds.approvals, fact === 'approvals_hold_opened' ? 'open' : 'released');
      return { state: { ...state, holds: { ...state.holds, approvals } }, evidence };
    }
    case 'authentication_exhausted':
      if (!isRecipientEvent(event, context) || !attemptsExhaustedWithHardMismatch(event)) return { state, evidence };
      return { state: withAttention(state, fact, stamp, { reasonCode: undefined, partyId: undefined }), evidence };
    case 'approver_declined':
      return {
        state: withAttention(state, fact, stamp, { reasonCode: undefined, partyId: event.partyId }),
        evidence,
      };
    case 'check_canceled':
    case 'check_stopped': {
      const reasonCode = event.kind === 'check' ? event.details.reasonCode : undefined;
      return { state: withAttention(state, fact, stamp, { reasonCode, partyId: undefined }), evidence };
    }
  }
}

/** Folds events over {@link initialState} (or a given state). */
export function reduceEvents(
  events: Iterable<LifecycleEvent>,
  context?: LifecycleContext,
  from: DisbursementState = initialState(),
): DisbursementState {
  let state = from;
  for (const event of events) state = applyEvent(state, event, context);
  return state;
}
