// What applying an event did, told from the states before and after: for timelines, metrics and logs.

import type { LifecycleEvent } from './events.js';
import { wasApplied } from './reducer.js';
import { ATTENTION_CODES, type DisbursementState, type TerminalOutcome } from './state.js';
import type { DisbursementStatus } from './statuses.js';

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
  /**
   * This event reported a terminal outcome different from one already known (say `funded` after
   * `failed`): Ingo contradicted itself. The later event time decides the status (lifecycle.md rule 3);
   * `outcomes` lists every terminal outcome seen.
   */
  contradiction: { outcomes: readonly TerminalOutcome[] } | undefined;
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
  // Attention facts are replaced, never edited in place, so identity tells a change.
  if (ATTENTION_CODES.some((code) => a.attention[code] !== b.attention[code])) return false;
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
  if (event !== undefined && wasApplied(before, event)) outcome = 'duplicate';
  else if (event !== undefined && event.source !== 'local' && event.kind === 'unknown') outcome = 'unknown_topic';
  else if (statusChanged) outcome = 'status_changed';
  else if (!sameFacts(before, after)) outcome = 'side_facts_changed';
  else outcome = 'no_effect';
  const outcomesBefore = before.evidence.terminalOutcomes;
  const outcomesAfter = after.evidence.terminalOutcomes;
  const contradiction =
    outcomesBefore.length > 0 && outcomesAfter.length > outcomesBefore.length ? { outcomes: outcomesAfter } : undefined;
  return { from: before.status, to: after.status, statusChanged, outcome, contradiction };
}
