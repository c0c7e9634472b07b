// The disbursement lifecycle of spec/lifecycle.md as a pure reducer. Webhooks arrive duplicated,
// delayed and reordered, so the state keeps commutative evidence (maxima, set unions, OR-flags,
// last-writer-wins registers ordered by event time then id) and derives the status from it: applying
// any permutation and duplication of one valid event set yields the same state. The one order-sensitive
// rule, "a terminal status is never left", only matters for contradictory sets (two different terminal
// outcomes), which Ingo does not produce.

import { resolveTopic } from './topics/resolve.js';
import type { IngoWebhookEvent } from './webhooks/event.js';

export const DISBURSEMENT_STATUSES = [
  'pending',
  'staged',
  'notified',
  'bounced',
  'viewed',
  'authenticated',
  'claimed',
  'approved',
  'funded',
  'failed',
  'canceled',
  'expired',
  'returned',
] as const;

export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];

export const STATUS_RANK: Readonly<Record<DisbursementStatus, number>> = Object.freeze({
  pending: 0,
  staged: 1,
  notified: 2,
  bounced: 2,
  viewed: 3,
  authenticated: 4,
  claimed: 5,
  approved: 6,
  funded: 7,
  failed: 7,
  canceled: 7,
  expired: 7,
  returned: 8,
});

export const TERMINAL_STATUSES: readonly DisbursementStatus[] = Object.freeze([
  'funded',
  'failed',
  'canceled',
  'expired',
  'returned',
]);

export function isTerminal(status: DisbursementStatus): boolean {
  return STATUS_RANK[status] >= 7;
}

// --- topic classification -------------------------------------------------------------------------

/** A condition the event must meet for its status to apply. */
export type StatusCondition =
  /** A Managed `transaction.party.*` event counts only for the recipient party (see `LifecycleContext`). */
  | 'recipient_party'
  /** `attempt_count >= max_attempts` and a `field_results` entry with `is_matching: false, hard_fail_on_mismatch: true`. */
  | 'attempts_exhausted_with_hard_mismatch'
  /** `returned` only follows `funded`. */
  | 'after_funded';

/** Facts recorded next to the status. */
export type SideFact =
  | 'auth_attempts'
  | 'account'
  | 'approval_decision'
  | 'ofac_hold_opened'
  | 'ofac_hold_cleared'
  | 'approvals_hold_opened'
  | 'approvals_hold_released';

export interface TopicClassification {
  topic: string;
  canonicalTopic: string;
  /**
   * `status`: may move the status (under `conditions`); `side_facts`: only records facts; `none`: a
   * known topic with no lifecycle effect (timeline only); `unknown`: not a topic notifykit knows.
   */
  effect: 'status' | 'side_facts' | 'none' | 'unknown';
  status: DisbursementStatus | undefined;
  conditions: readonly StatusCondition[];
  sideFacts: readonly SideFact[];
}

interface TopicRule {
  status?: DisbursementStatus;
  conditions?: readonly StatusCondition[];
  sideFacts?: readonly SideFact[];
}

const RECIPIENT: readonly StatusCondition[] = ['recipient_party'];

const TOPIC_RULES: ReadonlyMap<string, TopicRule> = new Map<string, TopicRule>([
  ['transaction.recipient.notification.status.sent', { status: 'notified' }],
  ['transaction.recipient.notification.status.received', { status: 'viewed' }],
  ['transaction.recipient.notification.status.bounced', { status: 'bounced' }],
  ['transaction.party.notification.status.sent', { status: 'notified', conditions: RECIPIENT }],
  ['transaction.party.notification.status.received', { status: 'viewed', conditions: RECIPIENT }],
  ['transaction.party.notification.status.bounced', { status: 'bounced', conditions: RECIPIENT }],

  ['transaction.recipient.authentication.status.success', { status: 'authenticated', sideFacts: ['auth_attempts'] }],
  [
    'transaction.recipient.authentication.status.failure',
    { status: 'failed', conditions: ['attempts_exhausted_with_hard_mismatch'], sideFacts: ['auth_attempts'] },
  ],
  [
    'transaction.party.authentication.dynamic.validation.success',
    { status: 'authenticated', conditions: RECIPIENT, sideFacts: ['auth_attempts'] },
  ],
  [
    'transaction.party.authentication.dynamic.validation.failure',
    {
      status: 'failed',
      conditions: ['recipient_party', 'attempts_exhausted_with_hard_mismatch'],
      sideFacts: ['auth_attempts'],
    },
  ],
  ['transaction.party.authentication.otac.delivery.generate', {}],
  ['transaction.party.authentication.otac.delivery.limit', {}],
  [
    'transaction.party.authentication.otac.validation.success',
    { status: 'authenticated', conditions: RECIPIENT, sideFacts: ['auth_attempts'] },
  ],
  ['transaction.party.authentication.otac.validation.failure', { sideFacts: ['auth_attempts'] }],

  ['transaction.recipient.verification.rvdm.success', {}],
  ['transaction.recipient.verification.rvdm.failure', {}],
  ['transaction.recipient.verification.ofac.status.suspended', { sideFacts: ['ofac_hold_opened'] }],
  ['transaction.recipient.verification.ofac.status.cleared', { sideFacts: ['ofac_hold_cleared'] }],
  ['transaction.recipient.verification.ofac.status.failure', { status: 'failed' }],

  ['transaction.account.verification.card.failure.cns_cd', {}],
  ['transaction.account.verification.paypal.success.av', {}],

  ['transaction.account.tokenization.success', { status: 'claimed', sideFacts: ['account'] }],

  ['transaction.recipient.payment.status.approvals.pmt-suspended', { sideFacts: ['approvals_hold_opened'] }],
  ['transaction.recipient.payment.status.approvals.decision.approved', { sideFacts: ['approval_decision'] }],
  [
    'transaction.recipient.payment.status.approvals.decision.declined',
    { status: 'failed', sideFacts: ['approval_decision'] },
  ],
  [
    'transaction.recipient.payment.status.approvals.complete',
    { status: 'approved', sideFacts: ['approvals_hold_released'] },
  ],

  ['transaction.recipient.payment.status.approved', { status: 'approved' }],
  ['transaction.recipient.payment.status.success', { status: 'funded' }],
  ['transaction.recipient.payment.status.terminated', { status: 'failed' }],
  ['transaction.recipient.payment.status.failure', { status: 'failed' }],
  ['transaction.recipient.payment.status.returned', { status: 'returned', conditions: ['after_funded'] }],

  // Choosing a mailed check is the recipient's payment-method choice, like a tokenization (account type CK).
  ['transaction.recipient.payment.status.check', { status: 'approved', sideFacts: ['account'] }],
  ['transaction.recipient.payment.status.check.issued', { status: 'approved' }],
  ['transaction.recipient.payment.status.check.paid', { status: 'funded' }],
  ['transaction.recipient.payment.status.check.canceled', { status: 'failed' }],
  ['transaction.recipient.payment.status.check.stopped', { status: 'failed' }],
  ['transaction.recipient.payment.status.check.returned', { status: 'returned', conditions: ['after_funded'] }],

  ['transaction.recipient.disbursement.status.expired', { status: 'expired' }],
  ['transaction.recipient.disbursement.status.canceled', { status: 'canceled' }],
]);

/** Every canonical topic the lifecycle has a rule for (all of §6.1 in both dialects, after canonicalization). */
export const LIFECYCLE_TOPICS: readonly string[] = Object.freeze([...TOPIC_RULES.keys()]);

const NO_CONDITIONS: readonly StatusCondition[] = Object.freeze([]);
const NO_FACTS: readonly SideFact[] = Object.freeze([]);

/**
 * What a topic (either dialect, with or without `gateway.`) does to a disbursement: the status it leads
 * to and under which conditions, the side facts it records, or nothing / unknown.
 */
export function classifyTopic(topic: string): TopicClassification {
  const resolved = resolveTopic(topic);
  const rule = TOPIC_RULES.get(resolved.canonicalTopic) ?? (resolved.kind === 'account_verification' ? {} : undefined);
  if (rule === undefined) {
    return {
      topic,
      canonicalTopic: resolved.canonicalTopic,
      effect: 'unknown',
      status: undefined,
      conditions: NO_CONDITIONS,
      sideFacts: NO_FACTS,
    };
  }
  const sideFacts = rule.sideFacts ?? NO_FACTS;
  return {
    topic,
    canonicalTopic: resolved.canonicalTopic,
    effect: rule.status !== undefined ? 'status' : sideFacts.length > 0 ? 'side_facts' : 'none',
    status: rule.status,
    conditions: rule.conditions ?? NO_CONDITIONS,
    sideFacts,
  };
}

// --- state ----------------------------------------------------------------------------------------

/** `none` → `open` → `released`; a release is final, so the merge is a maximum. */
export type HoldState = 'none' | 'open' | 'released';
export type ApprovalDecision = 'approved' | 'declined';

type ZoneStatus = 'notified' | 'viewed' | 'bounced';
type ProgressStatus = 'pending' | 'staged' | 'authenticated' | 'claimed' | 'approved';
type EntryTerminal = 'funded' | 'failed' | 'canceled' | 'expired';

/** Position of an event in time for last-writer-wins registers: event time, then a tie rank, then id. */
export interface EventStamp {
  atMs: number;
  tie: number;
  id: string;
}

/**
 * The commutative record the status is derived from. Persist it with the state; it is plain JSON.
 */
export interface LifecycleEvidence {
  /** Highest status reached outside the notification zone and the terminal statuses. */
  progress: ProgressStatus;
  /** Some notification was received/opened. */
  viewed: boolean;
  /** Latest notification-zone event (sent/received/bounced) by event time. */
  latestNotification: { status: ZoneStatus; stamp: EventStamp } | undefined;
  /** First terminal outcome applied; never replaced. */
  terminal: EntryTerminal | undefined;
  /** A `returned` event was seen (it only takes effect after `funded`). */
  returnSeen: boolean;
  /** Which event set the account fields (latest payment-method choice wins). */
  accountStamp: EventStamp | undefined;
}

export interface DisbursementState {
  status: DisbursementStatus;
  /** An OFAC suspension or an approvals payment suspension is open (never while terminal). */
  onHold: boolean;
  holds: { ofac: HoldState; approvals: HoldState };
  /** Highest `attempt_count` the recipient's authentication events reported. */
  authAttempts: number | undefined;
  /** Highest `max_attempts` reported. */
  maxAuthAttempts: number | undefined;
  /** `CA` card, `AC` ACH, `PD` PayPal, `CK` check… from the latest payment-method choice. */
  accountType: string | undefined;
  /** `customer_account_token` of the tokenized account. */
  accountTokenRef: string | undefined;
  accountId: string | undefined;
  /** Decision per approver `party_id`; a decline is final. */
  approvals: Readonly<Record<string, ApprovalDecision>>;
  /** Applied event ids, sorted (Ingo `metadata.id`s as sent; local events as `local:<id>`). */
  appliedEventIds: readonly string[];
  /** Latest event time seen, ISO 8601. */
  lastEventAt: string | undefined;
  evidence: LifecycleEvidence;
}

export function initialState(): DisbursementState {
  return {
    status: 'pending',
    onHold: false,
    holds: { ofac: 'none', approvals: 'none' },
    authAttempts: undefined,
    maxAuthAttempts: undefined,
    accountType: undefined,
    accountTokenRef: undefined,
    accountId: undefined,
    approvals: {},
    appliedEventIds: [],
    lastEventAt: undefined,
    evidence: {
      progress: 'pending',
      viewed: false,
      latestNotification: undefined,
      terminal: undefined,
      returnSeen: false,
      accountStamp: undefined,
    },
  };
}

// --- events ---------------------------------------------------------------------------------------

/** Outcomes notifykit learns from its own calls to Ingo rather than from a webhook. */
export type LocalEventType =
  /** Stage response status 100 or 101. */
  | 'stage_accepted'
  /** Cancel response status 100 (or 101 for a repeated cancel). */
  | 'cancel_accepted';

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
}

const LOCAL_STATUS: Readonly<Record<LocalEventType, DisbursementStatus>> = {
  stage_accepted: 'staged',
  cancel_accepted: 'canceled',
};

function eventKey(event: LifecycleEvent): string {
  return event.source === 'local' ? `local:${event.id}` : event.id;
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
  const recipient = context?.recipientPartyId;
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
    if (condition === 'attempts_exhausted_with_hard_mismatch' && !attemptsExhaustedWithHardMismatch(event))
      return false;
    // `after_funded` is not checked here: a return is remembered and takes effect once funded is known.
  }
  return true;
}

function deriveStatus(evidence: LifecycleEvidence): DisbursementStatus {
  if (evidence.terminal !== undefined) {
    return evidence.terminal === 'funded' && evidence.returnSeen ? 'returned' : evidence.terminal;
  }
  if (STATUS_RANK[evidence.progress] >= STATUS_RANK.authenticated) return evidence.progress;
  const latest = evidence.latestNotification;
  if (latest !== undefined) {
    if (latest.status === 'bounced') return 'bounced';
    return evidence.viewed ? 'viewed' : 'notified';
  }
  return evidence.progress;
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
      return evidence.terminal === undefined ? { ...evidence, terminal: status } : evidence;
    case 'returned':
      return evidence.returnSeen ? evidence : { ...evidence, returnSeen: true };
    default:
      return STATUS_RANK[status] > STATUS_RANK[evidence.progress] ? { ...evidence, progress: status } : evidence;
  }
}

function finish(state: DisbursementState, evidence: LifecycleEvidence): DisbursementState {
  const status = deriveStatus(evidence);
  const onHold = !isTerminal(status) && (state.holds.ofac === 'open' || state.holds.approvals === 'open');
  return { ...state, status, onHold, evidence };
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
  const stamp: EventStamp = { atMs: atMs ?? 0, tie: 0, id: key };

  let next: DisbursementState;
  let evidence = state.evidence;
  if (event.source === 'local') {
    next = { ...state };
    evidence = withStatus(evidence, LOCAL_STATUS[event.type], stamp);
  } else {
    const classification = classifyTopic(event.canonicalTopic);
    if (classification.effect === 'unknown') return state;
    next = { ...state };
    if (classification.status !== undefined && conditionsHold(classification.conditions, event, context)) {
      evidence = withStatus(evidence, classification.status, stamp);
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
  return finish(next, evidence);
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
      const previous = state.approvals[event.partyId];
      if (previous === 'declined' || previous === decision) return { state, evidence };
      return { state: { ...state, approvals: { ...state.approvals, [event.partyId]: decision } }, evidence };
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

// --- transitions and cancel -----------------------------------------------------------------------

export type TransitionOutcome =
  /** The event id was already applied; nothing changed. */
  | 'duplicate'
  /** The topic is unknown; it belongs in the timeline only. */
  | 'unknown_topic'
  | 'status_changed'
  /** Status unchanged, but holds, attempts, account or approvals changed. */
  | 'side_facts_changed'
  /** Recorded, no visible effect (a late event, an unmet condition, or a timeline-only topic). */
  | 'no_effect';

export interface Transition {
  from: DisbursementStatus;
  to: DisbursementStatus;
  statusChanged: boolean;
  outcome: TransitionOutcome;
}

function sameFacts(a: DisbursementState, b: DisbursementState): boolean {
  if (
    a.onHold !== b.onHold ||
    a.holds.ofac !== b.holds.ofac ||
    a.holds.approvals !== b.holds.approvals ||
    a.authAttempts !== b.authAttempts ||
    a.maxAuthAttempts !== b.maxAuthAttempts ||
    a.accountType !== b.accountType ||
    a.accountTokenRef !== b.accountTokenRef ||
    a.accountId !== b.accountId
  ) {
    return false;
  }
  const ka = Object.keys(a.approvals);
  if (ka.length !== Object.keys(b.approvals).length) return false;
  return ka.every((k) => a.approvals[k] === b.approvals[k]);
}

/**
 * What applying an event did: compare the states before and after `applyEvent`. Pass the event to tell
 * duplicates and unknown topics apart from events that simply changed nothing.
 */
export function describeTransition(
  before: DisbursementState,
  after: DisbursementState,
  event?: LifecycleEvent,
): Transition {
  const statusChanged = before.status !== after.status;
  let outcome: TransitionOutcome;
  if (event !== undefined && hasSorted(before.appliedEventIds, eventKey(event))) outcome = 'duplicate';
  else if (event !== undefined && event.source !== 'local' && event.kind === 'unknown') outcome = 'unknown_topic';
  else if (statusChanged) outcome = 'status_changed';
  else if (!sameFacts(before, after)) outcome = 'side_facts_changed';
  else outcome = 'no_effect';
  return { from: before.status, to: after.status, statusChanged, outcome };
}

/** Cancel is allowed while the status is at most `authenticated` and not terminal (lifecycle.md). */
export function canCancel(state: DisbursementState): boolean {
  return !isTerminal(state.status) && STATUS_RANK[state.status] <= STATUS_RANK.authenticated;
}

/** Why a cancel is refused, naming the current status; undefined when {@link canCancel} is true. */
export function cancelRefusalReason(state: DisbursementState): string | undefined {
  if (canCancel(state)) return undefined;
  if (isTerminal(state.status)) {
    return `Cannot cancel: the disbursement is already ${state.status}, a terminal status`;
  }
  return `Cannot cancel: the disbursement is ${state.status} — the recipient has already chosen a payment method, so Ingo refuses a cancel once claimed`;
}
