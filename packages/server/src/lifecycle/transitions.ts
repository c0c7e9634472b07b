import type { Transition } from '@notifykit/sdk';
import type { Counter } from 'prom-client';

/** A status transition of one disbursement, as the reducer described it. */
export interface AppliedTransition extends Transition {
  disbursementId: string;
}

/** The metric lifecycle transitions are counted in (part of the server's metrics). */
export interface LifecycleMetrics {
  lifecycleTransitions: Counter<'from' | 'to'>;
}

/** Counts the status changes among committed transitions, whichever path applied them. */
export function countTransitions(metrics: LifecycleMetrics, transitions: readonly AppliedTransition[]): void {
  for (const t of transitions) {
    if (t.statusChanged) metrics.lifecycleTransitions.inc({ from: t.from, to: t.to });
  }
}
