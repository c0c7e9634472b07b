// The reducer's state: the public status and facts of a disbursement, and the commutative evidence the
// status is derived from. Both are plain JSON, persisted together.

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
