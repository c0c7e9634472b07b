// Lifecycle events for reducer tests: webhooks ten seconds apart, local outcomes, and the party ids of
// a Managed recipient and two approvers.

import type { LifecycleContext, LifecycleEvent, LocalLifecycleEvent } from '../../src/lifecycle/events.js';
import { reduceEvents } from '../../src/lifecycle/reducer.js';
import type { DisbursementState } from '../../src/lifecycle/state.js';
import type { DisbursementStatus } from '../../src/lifecycle/statuses.js';
import { ingoEvent, type PayloadOptions } from './ingo-event-factory.js';

export const RECIPIENT = 'a0000000-0000-4000-8000-000000000001';
export const APPROVER = 'b0000000-0000-4000-8000-000000000002';
export const APPROVER_2 = 'c0000000-0000-4000-8000-000000000003';

let seconds = 1_760_000_000;
export function ev(topic: string, options: Omit<PayloadOptions, 'topic'> = {}) {
  seconds += 10;
  return ingoEvent({ timestamp: seconds, ...options, topic });
}

export function local(type: LocalLifecycleEvent['type'], id = `${type}-1`): LocalLifecycleEvent {
  seconds += 10;
  return { source: 'local', id, type, occurredAt: new Date(seconds * 1000) };
}

export function run(events: LifecycleEvent[], context?: LifecycleContext): DisbursementState {
  return reduceEvents(events, context);
}

export const statusAfter = (events: LifecycleEvent[], context?: LifecycleContext): DisbursementStatus =>
  run(events, context).status;

export const exhaustedHardFailure = {
  attempt_count: 3,
  max_attempts: 3,
  field_results: [{ field_label: 'Last 4 SSN', is_matching: false, hard_fail_on_mismatch: true }],
};

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
