import { describe, expect, it } from 'vitest';
import { ev, run } from '../../test/support/lifecycle-events.js';
import { CATALOG_TOPICS as C } from '../topics/catalog.js';
import { applyEvent } from './reducer.js';
import { initialState } from './state.js';
import { describeTransition } from './transitions.js';

describe('describeTransition', () => {
  it('tells status changes, side-fact changes, duplicates, unknown topics and no-ops apart', () => {
    const s0 = initialState();
    const sent = ev(C.recipientNotificationSent);
    const s1 = applyEvent(s0, sent);
    expect(describeTransition(s0, s1, sent)).toEqual({
      from: 'pending',
      to: 'notified',
      statusChanged: true,
      outcome: 'status_changed',
    });
    expect(describeTransition(s1, applyEvent(s1, sent), sent).outcome).toBe('duplicate');
    const hold = ev(C.ofacSuspended);
    expect(describeTransition(s1, applyEvent(s1, hold), hold)).toMatchObject({
      statusChanged: false,
      outcome: 'side_facts_changed',
    });
    const unknown = ev('brand.new.topic');
    expect(describeTransition(s1, applyEvent(s1, unknown), unknown).outcome).toBe('unknown_topic');
    const lateBounce = ev(C.recipientNotificationBounced);
    const claimed = run([ev(C.tokenizationSuccess)]);
    expect(describeTransition(claimed, applyEvent(claimed, lateBounce), lateBounce).outcome).toBe('no_effect');
    expect(describeTransition(s0, s1).outcome).toBe('status_changed');
  });
});
