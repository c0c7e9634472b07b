// The reducer's state: the public status and facts of a disbursement, and the commutative evidence the
// status is derived from. Both are plain JSON, persisted together.

import { isJsonObject } from '../type-drift.js';
import type { PartyFacts } from './parties.js';
import type { DisbursementStatus } from './statuses.js';

/** `none` → `open` → `released`; a release is final, so the merge is a maximum. */
export type HoldState = 'none' | 'open' | 'released';
export type ApprovalDecision = 'approved' | 'declined';

export type ZoneStatus = 'notified' | 'viewed' | 'bounced';
type ProgressStatus = 'pending' | 'staged' | 'authenticated' | 'claimed' | 'approved';
type EntryTerminal = 'funded' | 'failed' | 'canceled' | 'expired';

/** Position of an event in time for last-writer-wins registers: event time, then a tie rank, then id. */
export interface EventStamp {
  atMs: number;
  tie: number;
  id: string;
}

export type TerminalOutcome = EntryTerminal;

/**
 * The commutative record the status is derived from. Persist it with the state; it is plain JSON.
 */
export interface LifecycleEvidence {
  /** Highest status reached outside the notification zone and the terminal statuses. */
  progress: ProgressStatus;
  /**
   * Highest status reached below `approved`: what a payout with approvers shows while an `approved`
   * (say Ingo's `payment.status.approved`) waits for `approvals.complete`.
   */
  preApproval: ProgressStatus;
  /** Some notification was received/opened. */
  viewed: boolean;
  /** Latest notification-zone event (sent/received/bounced) by event time. */
  latestNotification: { status: ZoneStatus; stamp: EventStamp } | undefined;
  /**
   * The terminal outcome with the latest event time (ties by event id): when Ingo reports two different
   * outcomes for one disbursement, the later one wins whatever the arrival order (lifecycle.md rule 3).
   */
  terminal: { status: TerminalOutcome; stamp: EventStamp } | undefined;
  /** Every distinct terminal outcome seen, sorted; more than one is a contradiction. */
  terminalOutcomes: readonly TerminalOutcome[];
  /** A `returned` event was seen (it only takes effect after `funded`). */
  returnSeen: boolean;
  /** Which event set the account fields (latest payment-method choice wins). */
  accountStamp: EventStamp | undefined;
  /** The latest cancel recorded with an unknown outcome (local `cancel_outcome_unknown`). */
  cancelOutcomeUnknown: EventStamp | undefined;
}

/**
 * Events that usually come before a termination but are not one (lifecycle.md): they never set
 * `failed` on their own — Ingo's explicit termination does — and a later success still means `funded`.
 */
export type AttentionCode =
  | 'authentication_exhausted'
  | 'approver_declined'
  | 'check_canceled'
  | 'check_stopped'
  /** A cancel was sent and its outcome is unknown; the one flag the lifecycle settles (and removes). */
  | 'cancel_outcome_unknown';

export const ATTENTION_CODES: readonly AttentionCode[] = Object.freeze([
  'authentication_exhausted',
  'approver_declined',
  'check_canceled',
  'check_stopped',
  'cancel_outcome_unknown',
]);

/** The latest event (by event time, then id) that raised an attention flag. */
export interface AttentionFact {
  /** Its event time, ISO 8601; undefined when the event carried none. */
  at: string | undefined;
  /** Its `metadata.id`. */
  eventId: string;
  /** A check's `reason_code` (73–78), when the event carried one. */
  reasonCode: string | undefined;
  /** The approver's `party_id` of a decline. */
  partyId: string | undefined;
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
  /** Managed Parties: what each party (by `party_id`) has done — notified, viewed, authenticated, decided. */
  parties: Readonly<Record<string, PartyFacts>>;
  /**
   * Flags for a human, each set by the latest event that raised it. They are facts and stay, except
   * `cancel_outcome_unknown`, which goes once the lifecycle settles the cancel.
   */
  attention: Readonly<Partial<Record<AttentionCode, AttentionFact>>>;
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
    parties: {},
    attention: {},
    appliedEventIds: [],
    lastEventAt: undefined,
    evidence: {
      progress: 'pending',
      preApproval: 'pending',
      viewed: false,
      latestNotification: undefined,
      terminal: undefined,
      terminalOutcomes: [],
      returnSeen: false,
      accountStamp: undefined,
      cancelOutcomeUnknown: undefined,
    },
  };
}

const TERMINAL_OUTCOMES: readonly string[] = ['funded', 'failed', 'canceled', 'expired'];

/** A stored `evidence.terminal`: the current `{status, stamp}`, or the bare status an earlier version kept. */
function restoreTerminal(value: unknown, lastEventAt: unknown): LifecycleEvidence['terminal'] {
  if (typeof value === 'string' && TERMINAL_OUTCOMES.includes(value)) {
    // Before contradictions were resolved by time, the first terminal applied was kept without its time;
    // the latest event time the state saw is the closest stand-in (a later contradiction still wins).
    const atMs = typeof lastEventAt === 'string' ? Date.parse(lastEventAt) : Number.NaN;
    return { status: value as TerminalOutcome, stamp: { atMs: Number.isNaN(atMs) ? 0 : atMs, tie: 0, id: '' } };
  }
  if (isJsonObject(value) && typeof value.status === 'string' && TERMINAL_OUTCOMES.includes(value.status)) {
    return value as unknown as LifecycleEvidence['terminal'];
  }
  return undefined;
}

/**
 * Reads a persisted state (its JSON text or the parsed object), from this version or an earlier one:
 * JSON drops `undefined` members, and states stored before terminal outcomes carried their time or
 * before attention flags existed lack those parts. The result is a complete state the reducer continues
 * from; nothing is re-derived from events it no longer has.
 */
export function restoreState(stored: unknown): DisbursementState {
  const parsed: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  const initial = initialState();
  if (!isJsonObject(parsed)) return initial;
  const evidence = isJsonObject(parsed.evidence) ? parsed.evidence : {};
  const terminal = restoreTerminal(evidence.terminal, parsed.lastEventAt);
  const outcomes = Array.isArray(evidence.terminalOutcomes)
    ? (evidence.terminalOutcomes as TerminalOutcome[])
    : terminal === undefined
      ? []
      : [terminal.status];
  const progress = (evidence.progress as ProgressStatus | undefined) ?? 'pending';
  // A state stored before the approval gate existed: the best stand-in for what came before `approved`.
  const preApproval =
    (evidence.preApproval as ProgressStatus | undefined) ?? (progress === 'approved' ? 'claimed' : progress);
  return {
    ...initial,
    ...(parsed as Partial<DisbursementState>),
    parties: isJsonObject(parsed.parties) ? (parsed.parties as DisbursementState['parties']) : {},
    holds: { ...initial.holds, ...(isJsonObject(parsed.holds) ? parsed.holds : {}) },
    attention: isJsonObject(parsed.attention) ? (parsed.attention as DisbursementState['attention']) : {},
    evidence: {
      ...initial.evidence,
      ...(evidence as Partial<LifecycleEvidence>),
      preApproval,
      terminal,
      terminalOutcomes: outcomes,
    },
  };
}
