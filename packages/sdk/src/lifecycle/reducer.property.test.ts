// Order independence of the lifecycle reducer, property-tested (lifecycle.md rule 4) over the sandbox's
// scenarios and over arbitrary event sets, contradictions included. Longer than 400 lines on purpose:
// the scenario table is data, and every property shares its arbitraries and builders.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingoEvent } from '../../test/support/ingo-event-factory.js';
import { APPROVER, APPROVER_2, RECIPIENT } from '../../test/support/lifecycle-events.js';
import {
  CATALOG_TOPICS as C,
  CATALOG_TOPIC_NAMES,
  QUICKSTART_TOPICS as Q,
  QUICKSTART_TOPIC_NAMES,
} from '../topics/catalog.js';
import type { LifecycleContext, LifecycleEvent, LocalLifecycleEvent } from './events.js';
import { applyEvent, reduceEvents } from './reducer.js';
import { type DisbursementState, initialState } from './state.js';
import { isTerminal, STATUS_RANK } from './statuses.js';
import { describeTransition } from './transitions.js';

const CONTEXT: LifecycleContext = { recipientPartyId: RECIPIENT };
/** A Managed payout with a recipient and two approvers: the approval gate is on. */
const MANAGED_CONTEXT: LifecycleContext = {
  parties: [
    { partyId: RECIPIENT, role: 'recipient' },
    { partyId: APPROVER, role: 'approver' },
    { partyId: APPROVER_2, role: 'approver' },
  ],
};
const T0 = 1_760_000_000;

// --- arbitrary events -----------------------------------------------------------------------------

const TOPICS = [
  ...CATALOG_TOPIC_NAMES,
  ...QUICKSTART_TOPIC_NAMES,
  ...QUICKSTART_TOPIC_NAMES.map((t) => `gateway.${t}`),
  'transaction.account.verification.ach.success.avs',
  'transaction.recipient.wallet.status.frozen',
];

interface EventSeed {
  topic: string | 'local:stage_accepted' | 'local:cancel_accepted' | 'local:cancel_outcome_unknown';
  party: string | undefined;
  /** Seconds after T0; a narrow range so equal timestamps (Ingo sends whole seconds) happen often. */
  second: number;
  attemptCount: number;
  maxAttempts: number;
  matching: boolean;
  hard: boolean;
  accountType: string;
  reasonCode: string;
}

// Topics whose side facts merge (holds, approvals, account, notification zone): drawn from a small pool
// so that conflicting pairs (approved and declined by one approver, suspended and cleared) are common.
const MERGE_TOPICS = [
  C.approvalsDecisionApproved,
  C.approvalsDecisionDeclined,
  C.approvalsPaymentSuspended,
  C.approvalsComplete,
  C.ofacSuspended,
  C.ofacCleared,
  C.recipientNotificationSent,
  C.recipientNotificationBounced,
  C.recipientNotificationReceived,
  C.partyNotificationBounced,
  C.tokenizationSuccess,
  C.checkChosen,
  C.recipientAuthenticationFailure,
  C.partyDynamicValidationFailure,
  C.checkCanceled,
  C.checkStopped,
  C.paymentSuccess,
  C.paymentTerminated,
];

// Every party step of a Managed payout, drawn with any of the three parties (or "" for the recipient).
const PARTY_TOPICS = [
  C.partyNotificationSent,
  C.partyNotificationReceived,
  C.partyNotificationBounced,
  C.partyDynamicValidationSuccess,
  C.partyDynamicValidationFailure,
  C.partyOtacValidationSuccess,
  C.approvalsDecisionApproved,
  C.approvalsDecisionDeclined,
  C.approvalsPaymentSuspended,
  C.approvalsComplete,
  C.tokenizationSuccess,
  Q.paymentApproved,
  C.paymentSuccess,
  C.paymentTerminated,
];

const seedArbFor = (topics: readonly string[]): fc.Arbitrary<EventSeed> =>
  fc.record({
    topic: fc.constantFrom(...topics, 'local:stage_accepted', 'local:cancel_accepted', 'local:cancel_outcome_unknown'),
    party: fc.constantFrom(undefined, RECIPIENT, APPROVER, APPROVER_2),
    second: fc.integer({ min: 0, max: 12 }),
    attemptCount: fc.integer({ min: 0, max: 4 }),
    maxAttempts: fc.integer({ min: 1, max: 3 }),
    matching: fc.boolean(),
    hard: fc.boolean(),
    accountType: fc.constantFrom('CA', 'AC', 'PD'),
    reasonCode: fc.constantFrom('73', '74', '75', '76', '77', '78'),
  });

const seedArb = seedArbFor(TOPICS);
const mergeSeedArb = seedArbFor(MERGE_TOPICS);
const partySeedArb = seedArbFor(PARTY_TOPICS);

function build(seed: EventSeed, index: number): LifecycleEvent {
  const id = `evt-${index}`;
  if (seed.topic.startsWith('local:')) {
    return {
      source: 'local',
      id,
      type: seed.topic.slice(6) as LocalLifecycleEvent['type'],
      occurredAt: new Date((T0 + seed.second) * 1000),
    };
  }
  return ingoEvent({
    id,
    topic: seed.topic,
    timestamp: T0 + seed.second,
    ...(seed.party === undefined ? {} : { partyId: seed.party }),
    event: {
      attempt_count: seed.attemptCount,
      max_attempts: seed.maxAttempts,
      field_results: [{ field_label: 'Last 4 SSN', is_matching: seed.matching, hard_fail_on_mismatch: seed.hard }],
      account_type: seed.accountType,
      customer_account_token: `tok-${index}`,
      reason_code: seed.reasonCode,
    },
  });
}

/** The terminal outcome an event alone would enter (with the fixed context), if any. */
const terminalOf = (event: LifecycleEvent) => applyEvent(initialState(), event, CONTEXT).evidence.terminal?.status;

/** Ingo's explicit terminations: the only events that may fail a payout (lifecycle.md). */
const EXPLICIT_TERMINATIONS: ReadonlySet<string> = new Set([C.paymentTerminated, C.paymentFailure, C.ofacFailure]);

/** Same multiset of events, shuffled, with extra copies of some of them. */
function permuteWithDuplicates(events: LifecycleEvent[], keys: number[], duplicates: number[]): LifecycleEvent[] {
  if (events.length === 0) return [];
  const withDups = [...events, ...duplicates.map((d) => events[d % events.length]!)];
  return withDups
    .map((event, i) => ({ event, key: keys[i % keys.length]! * 1000 + i }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.event);
}

const keysArb = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 80 });
const duplicatesArb = fc.array(fc.nat(), { maxLength: 25 });

// --- scripted scenarios (the sandbox's, in its README) -------------------------------------------------

function script(topics: (string | [string, Record<string, unknown>?, string?])[], withStage = true): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  if (withStage) events.push({ source: 'local', id: 'stage', type: 'stage_accepted', occurredAt: T0 * 1000 });
  topics.forEach((entry, i) => {
    const [topic, event, partyId] = typeof entry === 'string' ? [entry] : entry;
    events.push(
      ingoEvent({
        id: `s-${i}`,
        topic,
        timestamp: T0 + 10 * (i + 1),
        ...(partyId === undefined ? {} : { partyId }),
        ...(event === undefined ? {} : { event }),
      }),
    );
  });
  return events;
}

const hardFailure = (attempt: number) => ({
  attempt_count: attempt,
  max_attempts: 3,
  field_results: [{ field_label: 'Last 4 SSN', is_matching: false, hard_fail_on_mismatch: true }],
});

const SCENARIOS: Record<string, LifecycleEvent[]> = {
  'happy path (catalog)': script([
    C.recipientNotificationSent,
    C.recipientNotificationReceived,
    C.recipientAuthenticationSuccess,
    C.rvdmSuccess,
    [C.tokenizationSuccess, { account_type: 'CA', customer_account_token: 'tok' }],
    C.paymentSuccess,
  ]),
  'happy path (quick start)': script([
    Q.notificationSent,
    C.recipientNotificationReceived,
    Q.authenticationComplete,
    [Q.tokenizationComplete, { account_type: 'CA' }],
    Q.paymentApproved,
    Q.paymentFunded,
  ]),
  bounce: script([C.recipientNotificationSent, C.recipientNotificationBounced, C.disbursementExpired]),
  'bounce then re-sent': script([
    C.recipientNotificationSent,
    C.recipientNotificationBounced,
    C.recipientNotificationSent,
    C.recipientNotificationReceived,
  ]),
  authfail: script([
    C.recipientNotificationSent,
    [C.recipientAuthenticationFailure, hardFailure(1)],
    [C.recipientAuthenticationFailure, hardFailure(2)],
    [C.recipientAuthenticationFailure, hardFailure(3)],
    C.paymentTerminated,
  ]),
  ofac: script([C.recipientNotificationSent, C.ofacSuspended, C.ofacFailure]),
  'ofac cleared': script([
    C.recipientNotificationSent,
    C.ofacSuspended,
    C.ofacCleared,
    C.recipientAuthenticationSuccess,
  ]),
  check: script([C.recipientNotificationSent, C.checkChosen, C.checkIssued, C.checkPaid]),
  // The sandbox's `fail` of a check: voided (76 internal), then Ingo's explicit termination.
  'check canceled': script([
    C.checkChosen,
    C.checkIssued,
    [C.checkCanceled, { reason_code: '76' }],
    C.paymentTerminated,
  ]),
  // Voided (74 undelivered), reissued and paid: an attention flag on a funded payout.
  'check reissued': script([
    C.checkChosen,
    [C.checkIssued, { check_number: '1001' }],
    [C.checkCanceled, { reason_code: '74' }],
    [C.checkIssued, { check_number: '1002' }],
    C.checkPaid,
  ]),
  'check stopped': script([C.checkChosen, C.checkIssued, [C.checkStopped, { reason_code: '77' }], C.paymentTerminated]),
  'authfail then success': script([
    C.recipientNotificationSent,
    [C.recipientAuthenticationFailure, hardFailure(1)],
    [C.recipientAuthenticationFailure, hardFailure(2)],
    [C.recipientAuthenticationFailure, hardFailure(3)],
    C.recipientAuthenticationSuccess,
    [C.tokenizationSuccess, { account_type: 'CA' }],
    C.paymentSuccess,
  ]),
  paypal: script([
    C.recipientNotificationSent,
    C.recipientAuthenticationSuccess,
    [C.tokenizationSuccess, { account_type: 'PD' }],
    C.paypalVerificationSuccessAv,
    C.paymentSuccess,
  ]),
  idle: script([C.recipientNotificationSent, C.disbursementExpired]),
  return: script([C.recipientNotificationSent, C.tokenizationSuccess, C.paymentSuccess, C.paymentReturned]),
  'check return': script([C.checkChosen, C.checkPaid, C.checkReturned]),
  decline: script([
    [C.partyNotificationSent, undefined, RECIPIENT],
    [C.partyNotificationSent, undefined, APPROVER],
    [C.partyDynamicValidationSuccess, undefined, APPROVER],
    [C.approvalsDecisionDeclined, undefined, APPROVER],
    C.paymentTerminated,
  ]),
  'decline then paid': script([
    [C.partyNotificationSent, undefined, RECIPIENT],
    [C.partyDynamicValidationSuccess, undefined, RECIPIENT],
    [C.tokenizationSuccess, { account_type: 'AC' }],
    [C.approvalsDecisionDeclined, undefined, APPROVER],
    [C.approvalsDecisionApproved, undefined, APPROVER_2],
    C.approvalsComplete,
    C.paymentSuccess,
  ]),
  // Ingo contradicting itself: the later report (terminated) wins.
  contradiction: script([C.recipientNotificationSent, C.tokenizationSuccess, C.paymentSuccess, C.paymentTerminated]),
  slowapprove: script([
    [C.partyNotificationSent, undefined, RECIPIENT],
    [C.partyNotificationSent, undefined, APPROVER],
    [C.partyNotificationReceived, undefined, RECIPIENT],
    [C.partyDynamicValidationSuccess, undefined, RECIPIENT],
    [C.tokenizationSuccess, { account_type: 'AC' }],
    C.approvalsPaymentSuspended,
    [C.partyDynamicValidationSuccess, undefined, APPROVER],
    [C.approvalsDecisionApproved, undefined, APPROVER],
    C.approvalsComplete,
    C.paymentSuccess,
  ]),
  canceled: [
    ...script([C.recipientNotificationSent, C.recipientNotificationReceived]),
    { source: 'local', id: 'cancel', type: 'cancel_accepted', occurredAt: (T0 + 100) * 1000 },
    ingoEvent({ id: 'canceled', topic: C.disbursementCanceled, timestamp: T0 + 101 }),
  ],
  // A cancel whose answer was lost, settled by Ingo's webhook.
  'cancel outcome unknown, then canceled': [
    ...script([C.recipientNotificationSent, C.recipientNotificationReceived]),
    { source: 'local', id: 'cancel-unknown', type: 'cancel_outcome_unknown', occurredAt: (T0 + 100) * 1000 },
    ingoEvent({ id: 'canceled', topic: C.disbursementCanceled, timestamp: T0 + 101 }),
  ],
  'cancel outcome unknown, still open': [
    ...script([C.recipientNotificationSent, C.recipientNotificationReceived]),
    { source: 'local', id: 'cancel-unknown', type: 'cancel_outcome_unknown', occurredAt: (T0 + 100) * 1000 },
  ],
};

function normalizedOrderResult(events: LifecycleEvent[]): DisbursementState {
  return reduceEvents(events, CONTEXT);
}

describe('lifecycle properties', () => {
  for (const [name, events] of Object.entries(SCENARIOS)) {
    it(`scenario "${name}": any permutation and duplication gives the same state`, () => {
      const expected = normalizedOrderResult(events);
      fc.assert(
        fc.property(keysArb, duplicatesArb, (keys, duplicates) => {
          expect(reduceEvents(permuteWithDuplicates(events, keys, duplicates), CONTEXT)).toEqual(expected);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('scenario end states are the ones the sandbox scripts intend', () => {
    const ends = Object.fromEntries(
      Object.entries(SCENARIOS).map(([name, events]) => [name, normalizedOrderResult(events).status]),
    );
    expect(ends).toEqual({
      'happy path (catalog)': 'funded',
      'happy path (quick start)': 'funded',
      bounce: 'expired',
      'bounce then re-sent': 'viewed',
      authfail: 'failed',
      ofac: 'failed',
      'ofac cleared': 'authenticated',
      check: 'funded',
      'check canceled': 'failed',
      'check reissued': 'funded',
      'check stopped': 'failed',
      'authfail then success': 'funded',
      paypal: 'funded',
      idle: 'expired',
      return: 'returned',
      'check return': 'returned',
      decline: 'failed',
      'decline then paid': 'funded',
      contradiction: 'failed',
      slowapprove: 'funded',
      canceled: 'canceled',
      'cancel outcome unknown, then canceled': 'canceled',
      'cancel outcome unknown, still open': 'viewed',
    });
    const attention = (name: string) => Object.keys(normalizedOrderResult(SCENARIOS[name]!).attention).sort();
    expect(attention('authfail')).toEqual(['authentication_exhausted']);
    expect(attention('authfail then success')).toEqual(['authentication_exhausted']);
    expect(attention('decline')).toEqual(['approver_declined']);
    expect(attention('decline then paid')).toEqual(['approver_declined']);
    expect(attention('check canceled')).toEqual(['check_canceled']);
    expect(attention('check reissued')).toEqual(['check_canceled']);
    expect(attention('check stopped')).toEqual(['check_stopped']);
    expect(attention('happy path (catalog)')).toEqual([]);
    expect(attention('cancel outcome unknown, then canceled')).toEqual([]);
    expect(attention('cancel outcome unknown, still open')).toEqual(['cancel_outcome_unknown']);
    expect(normalizedOrderResult(SCENARIOS.contradiction!).evidence.terminalOutcomes).toEqual(['failed', 'funded']);
  });

  for (const [label, arb] of [
    ['any topics', seedArb],
    ['topics with merged side facts', mergeSeedArb],
  ] as const) {
    it(`any set of events (${label}) with one consistent outcome: every permutation and duplication gives the same state`, () => {
      fc.assert(
        fc.property(
          fc.array(arb, { maxLength: 30 }),
          fc.constantFrom(undefined, 'funded', 'failed', 'canceled', 'expired'),
          keysArb,
          duplicatesArb,
          (seeds, outcome, keys, duplicates) => {
            // Ingo never sends two different terminal outcomes for one disbursement; keep one.
            const events = seeds.map(build).filter((e) => {
              const t = terminalOf(e);
              return t === undefined || t === outcome;
            });
            const expected = reduceEvents(events, CONTEXT);
            expect(reduceEvents(permuteWithDuplicates(events, keys, duplicates), CONTEXT)).toEqual(expected);
          },
        ),
        { numRuns: 400 },
      );
    });
  }

  it('any set of events, contradictory terminal outcomes included: every permutation and duplication gives the same state', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(seedArb, mergeSeedArb), { maxLength: 30 }),
        keysArb,
        duplicatesArb,
        (seeds, keys, duplicates) => {
          const events = seeds.map(build);
          const expected = reduceEvents(events, CONTEXT);
          expect(reduceEvents(permuteWithDuplicates(events, keys, duplicates), CONTEXT)).toEqual(expected);
          // The winning outcome is the one of the latest terminal event (then the largest id).
          const terminals = events
            .map((event) => ({ event, outcome: terminalOf(event) }))
            .filter((t) => t.outcome !== undefined);
          expect(new Set(expected.evidence.terminalOutcomes)).toEqual(new Set(terminals.map((t) => t.outcome)));
        },
      ),
      { numRuns: 400 },
    );
  });

  for (const [name, events] of Object.entries(SCENARIOS)) {
    it(`scenario "${name}" with two approvers in the context: any permutation and duplication gives the same state`, () => {
      const expected = reduceEvents(events, MANAGED_CONTEXT);
      fc.assert(
        fc.property(keysArb, duplicatesArb, (keys, duplicates) => {
          expect(reduceEvents(permuteWithDuplicates(events, keys, duplicates), MANAGED_CONTEXT)).toEqual(expected);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('multi-party event sets (parties interleaved, duplicated, reordered) converge to the same state, parties included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(partySeedArb, mergeSeedArb), { maxLength: 40 }),
        fc.constantFrom(undefined, 'funded', 'failed'),
        keysArb,
        duplicatesArb,
        (seeds, outcome, keys, duplicates) => {
          const events = seeds.map(build).filter((e) => {
            const t = applyEvent(initialState(), e, MANAGED_CONTEXT).evidence.terminal?.status;
            return t === undefined || t === outcome;
          });
          const expected = reduceEvents(events, MANAGED_CONTEXT);
          expect(reduceEvents(permuteWithDuplicates(events, keys, duplicates), MANAGED_CONTEXT)).toEqual(expected);
          // The gate: with approvers, never `approved` without approvals.complete.
          const completed = events.some((e) => e.source === 'ingo' && e.canonicalTopic === C.approvalsComplete);
          if (!completed) expect(expected.status).not.toBe('approved');
          // Only an approver's decision records a decision; the recipient's facts come from its own events.
          for (const [party, facts] of Object.entries(expected.parties)) {
            if (facts.decision !== undefined) expect(expected.approvals[party]).toBe(facts.decision);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('slowapprove with two approvers: the recipient completes first, the payout waits at the gate, then is paid', () => {
    const events = script([
      [C.partyNotificationSent, undefined, ''],
      [C.partyNotificationSent, undefined, APPROVER],
      [C.partyNotificationSent, undefined, APPROVER_2],
      [C.partyDynamicValidationSuccess, undefined, RECIPIENT],
      [C.tokenizationSuccess, { account_type: 'CA' }],
      C.approvalsPaymentSuspended,
      [C.partyDynamicValidationSuccess, undefined, APPROVER],
      [C.approvalsDecisionApproved, undefined, APPROVER],
      [C.partyDynamicValidationSuccess, undefined, APPROVER_2],
      [C.approvalsDecisionApproved, undefined, APPROVER_2],
      C.approvalsComplete,
      C.paymentSuccess,
    ]);
    const atGate = reduceEvents(events.slice(0, 10), MANAGED_CONTEXT);
    expect(atGate).toMatchObject({ status: 'claimed', onHold: true });
    expect(reduceEvents(events.slice(0, 12), MANAGED_CONTEXT)).toMatchObject({ status: 'approved', onHold: false });
    const end = reduceEvents(events, MANAGED_CONTEXT);
    expect(end.status).toBe('funded');
    expect(Object.fromEntries(Object.entries(end.parties).map(([id, f]) => [id, [f.role, f.decision]]))).toEqual({
      [RECIPIENT]: ['recipient', undefined],
      [APPROVER]: ['approver', 'approved'],
      [APPROVER_2]: ['approver', 'approved'],
    });
  });

  it('failed only on an explicit termination: without one, no set of events ends failed', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(seedArb, mergeSeedArb), { maxLength: 30 }), (seeds) => {
        const events = seeds.map(build);
        const withoutTerminations = events.filter(
          (e) => e.source === 'local' || !EXPLICIT_TERMINATIONS.has(e.canonicalTopic),
        );
        expect(reduceEvents(withoutTerminations, CONTEXT).status).not.toBe('failed');
        if (reduceEvents(events, CONTEXT).status === 'failed') {
          expect(withoutTerminations.length).toBeLessThan(events.length);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a terminal status is left only for another terminal (a contradiction) or funded → returned, and rank only drops viewed → bounced', () => {
    fc.assert(
      fc.property(fc.array(seedArb, { minLength: 1, maxLength: 40 }), fc.boolean(), (seeds, withContext) => {
        let state = initialState();
        seeds.forEach((seed, i) => {
          const before = state.status;
          const previous = state;
          const event = build(seed, i);
          state = applyEvent(state, event, withContext ? CONTEXT : undefined);
          const after = state.status;
          if (isTerminal(before) && after !== before) {
            const contradiction = describeTransition(previous, state, event).contradiction !== undefined;
            const reordered = previous.evidence.terminalOutcomes.length > 1; // an earlier contradiction, re-ranked
            expect(
              (before === 'funded' && after === 'returned') || (isTerminal(after) && (contradiction || reordered)),
            ).toBe(true);
          }
          if (STATUS_RANK[after] < STATUS_RANK[before]) {
            // Down from rank 8 only when a later contradicting outcome overrides a returned `funded`.
            if (before === 'returned') expect(isTerminal(after)).toBe(true);
            else expect([before, after]).toEqual(['viewed', 'bounced']);
          }
          if (STATUS_RANK[after] === STATUS_RANK[before] && after !== before && !isTerminal(before)) {
            expect([before, after].sort()).toEqual(['bounced', 'notified']);
          }
        });
      }),
      { numRuns: 400 },
    );
  });

  it('applying an event twice in a row equals applying it once', () => {
    fc.assert(
      fc.property(fc.array(seedArb, { minLength: 1, maxLength: 20 }), (seeds) => {
        const events = seeds.map(build);
        let state = initialState();
        for (const event of events) {
          const once = applyEvent(state, event, CONTEXT);
          expect(applyEvent(once, event, CONTEXT)).toBe(once);
          state = once;
        }
      }),
      { numRuns: 200 },
    );
  });
});
