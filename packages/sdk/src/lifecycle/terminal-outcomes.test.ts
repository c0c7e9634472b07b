// Rule 3 of lifecycle.md when Ingo contradicts itself: the later metadata.timestamp wins (ties by event
// id), whatever the arrival order, and the transition flags the contradiction; and states stored by an
// earlier version, whose terminal outcome carried no time, still load and continue.

import { describe, expect, it } from 'vitest';
import { ingoEvent } from '../../test/support/ingo-event-factory.js';
import { ev, run } from '../../test/support/lifecycle-events.js';
import { CATALOG_TOPICS as C } from '../topics/catalog.js';
import { applyEvent } from './reducer.js';
import { initialState, restoreState } from './state.js';
import { describeTransition } from './transitions.js';

describe('two different terminal outcomes', () => {
  it('3. two different terminal outcomes: the later metadata.timestamp wins, whatever the arrival order', () => {
    const at = (topic: string, second: number, id: string) =>
      ingoEvent({ id, topic, timestamp: 1_760_000_000 + second });
    const success = at(C.paymentSuccess, 20, 'evt-success');
    const terminated = at(C.paymentTerminated, 10, 'evt-terminated');
    for (const order of [
      [success, terminated],
      [terminated, success],
    ]) {
      const state = run(order);
      expect(state.status).toBe('funded');
      expect(state.evidence.terminalOutcomes).toEqual(['failed', 'funded']);
    }
    // A local cancel and a later success: the later one wins too.
    const cancel = { source: 'local', id: 'cancel-1', type: 'cancel_accepted', occurredAt: 1_760_000_005_000 } as const;
    expect(run([success, cancel]).status).toBe('funded');
    expect(run([at(C.paymentSuccess, 1, 'evt-early'), cancel]).status).toBe('canceled');
    // A return after a funded that a later termination overrode does not apply.
    expect(run([success, at(C.paymentReturned, 30, 'r'), at(C.paymentFailure, 40, 'f')]).status).toBe('failed');
  });

  it('3. equal timestamps: the larger event id wins, so arrival order never matters', () => {
    const a = ingoEvent({ id: 'evt-a', topic: C.paymentSuccess, timestamp: 1_760_000_000 });
    const b = ingoEvent({ id: 'evt-b', topic: C.disbursementExpired, timestamp: 1_760_000_000 });
    expect(run([a, b]).status).toBe('expired');
    expect(run([b, a]).status).toBe('expired');
    const c = ingoEvent({ id: 'evt-c', topic: C.paymentSuccess, timestamp: 1_760_000_000 });
    expect(run([b, c]).status).toBe('funded');
    expect(run([c, b]).status).toBe('funded');
  });

  it('3. the transition that brings a second terminal outcome flags the contradiction', () => {
    const success = ingoEvent({ id: 's', topic: C.paymentSuccess, timestamp: 1_760_000_020 });
    const terminated = ingoEvent({ id: 't', topic: C.paymentTerminated, timestamp: 1_760_000_010 });
    const funded = run([success]);
    const late = applyEvent(funded, terminated);
    expect(late.status).toBe('funded');
    expect(describeTransition(funded, late, terminated)).toMatchObject({
      from: 'funded',
      to: 'funded',
      statusChanged: false,
      contradiction: { outcomes: ['failed', 'funded'] },
    });
    const failed = run([terminated]);
    const flipped = applyEvent(failed, success);
    expect(describeTransition(failed, flipped, success)).toMatchObject({
      from: 'failed',
      to: 'funded',
      statusChanged: true,
      outcome: 'status_changed',
      contradiction: { outcomes: ['failed', 'funded'] },
    });
    // The same outcome twice (Ingo's two names for funded, or cancel + canceled webhook) is no contradiction.
    const paid = applyEvent(funded, ingoEvent({ id: 'p', topic: C.checkPaid, timestamp: 1_760_000_030 }));
    expect(describeTransition(funded, paid).contradiction).toBeUndefined();
    expect(describeTransition(initialState(), funded).contradiction).toBeUndefined();
  });
});

describe('states stored by an earlier version', () => {
  it('restoreState reads a state stored before attention flags and timed terminal outcomes', () => {
    // The shape an earlier version persisted: `evidence.terminal` a bare status, no attention, no
    // terminalOutcomes, and undefined members dropped by JSON.
    const stored = JSON.stringify({
      status: 'failed',
      onHold: false,
      holds: { ofac: 'none', approvals: 'none' },
      authAttempts: 3,
      maxAuthAttempts: 3,
      approvals: {},
      appliedEventIds: ['evt-1', 'evt-2', 'local:stage:pay-1'],
      lastEventAt: '2025-10-09T08:00:30.000Z',
      evidence: { progress: 'staged', viewed: true, terminal: 'failed', returnSeen: false },
    });
    const state = restoreState(stored);
    expect(state).toMatchObject({
      status: 'failed',
      authAttempts: 3,
      attention: {},
      accountType: undefined,
      evidence: {
        progress: 'staged',
        viewed: true,
        terminal: { status: 'failed', stamp: { atMs: Date.parse('2025-10-09T08:00:30.000Z'), tie: 0, id: '' } },
        terminalOutcomes: ['failed'],
        latestNotification: undefined,
      },
    });
    expect(restoreState(JSON.parse(stored))).toEqual(state);
    // The reducer continues from it: duplicates stay duplicates, a later contradicting success wins.
    const dup = ingoEvent({ id: 'evt-1', topic: C.paymentSuccess, timestamp: 1_900_000_000 });
    expect(applyEvent(state, dup)).toBe(state);
    const later = ingoEvent({ id: 'evt-9', topic: C.paymentSuccess, timestamp: 1_900_000_000 });
    expect(applyEvent(state, later)).toMatchObject({
      status: 'funded',
      evidence: { terminalOutcomes: ['failed', 'funded'] },
    });
    const earlier = ingoEvent({ id: 'evt-8', topic: C.paymentSuccess, timestamp: 1_700_000_000 });
    expect(applyEvent(state, earlier).status).toBe('failed');
    // A state of this version round-trips unchanged; anything that is not an object reads as the initial state.
    const current = run([ev(C.recipientNotificationSent), ev(C.checkCanceled, { event: { reason_code: '73' } })]);
    expect(restoreState(JSON.stringify(current))).toEqual(JSON.parse(JSON.stringify(current)));
    expect(restoreState('null')).toEqual(initialState());
    expect(restoreState('{}')).toEqual(initialState());
  });
});
