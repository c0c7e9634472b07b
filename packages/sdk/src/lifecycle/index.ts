// `@notifykit/sdk/lifecycle`: the disbursement lifecycle of docs/lifecycle.md as a pure reducer over
// normalized webhooks and local outcomes, in any order and with any duplication.

export { canCancel, cancelRefusalReason } from './cancel.js';
export {
  type LifecycleContext,
  type LifecycleEvent,
  type LocalEventType,
  type LocalLifecycleEvent,
  type ManagedPartyRef,
  type ManagedPartyRole,
  partyRoleName,
} from './events.js';
export type { PartyFacts } from './parties.js';
export { applyEvent, reduceEvents } from './reducer.js';
export {
  type ApprovalDecision,
  ATTENTION_CODES,
  type AttentionCode,
  type AttentionFact,
  type DisbursementState,
  type HoldState,
  initialState,
  restoreState,
  type TerminalOutcome,
} from './state.js';
export { DISBURSEMENT_STATUSES, type DisbursementStatus, STATUS_RANK, TERMINAL_STATUSES } from './statuses.js';
export { classifyTopic, type SideFact, type StatusCondition, type TopicClassification } from './topic-rules.js';
export { describeTransition, type Transition, type TransitionOutcome } from './transitions.js';
