// Per-party facts of a Managed Parties (v4) payout: who was notified, viewed, authenticated and how each
// approver decided. Events are not ordered across parties (docs/ingo-contract.md §5), so every fact
// merges commutatively: flags are OR-ed, a decline beats an approval, and of equal decisions the
// earliest event (by time, then id) dates it.

import type { IngoWebhookEvent } from '../webhooks/event.js';
import type { LifecycleContext, ManagedPartyRole } from './events.js';
import type { ApprovalDecision, EventStamp } from './state.js';
import type { DisbursementStatus } from './statuses.js';

/** What one party has done so far. */
export interface PartyFacts {
  /** From the stage response (context); undefined for a party id the context does not name. */
  role: ManagedPartyRole | undefined;
  notified: boolean;
  viewed: boolean;
  bounced: boolean;
  authenticated: boolean;
  /** An approver's decision; a decline is final. */
  decision: ApprovalDecision | undefined;
  /** Event time of the decision, ISO 8601 (undefined when its event carried none). */
  decidedAt: string | undefined;
  /** `metadata.id` of the event that carries the decision. */
  decisionEventId: string | undefined;
}

export type PartyProgress = 'notified' | 'viewed' | 'bounced' | 'authenticated';

const PROGRESS_STATUSES: ReadonlySet<DisbursementStatus> = new Set(['notified', 'viewed', 'bounced', 'authenticated']);

/** The recipient's party id: the explicit one, or the role-0 party of the context. */
export function recipientPartyIdOf(context: LifecycleContext | undefined): string | undefined {
  const explicit = context?.recipientPartyId;
  if (explicit !== undefined && explicit !== '') return explicit;
  return context?.parties?.find((p) => p.role === 'recipient')?.partyId;
}

/** A payout with at least one approver is `approved` only once `approvals.complete` opened the gate. */
export function hasApprovers(context: LifecycleContext | undefined): boolean {
  return context?.parties?.some((p) => p.role === 'approver') ?? false;
}

/**
 * The party an event is about: its `party_id`, or — when it carries none (`""` included, as the recipient's
 * events may) — the recipient named by the context. Undefined when it cannot be attributed.
 */
export function partyOfEvent(event: IngoWebhookEvent, context: LifecycleContext | undefined): string | undefined {
  return event.partyId ?? recipientPartyIdOf(context);
}

/** The progress a status-moving event records for its party, if it is a party step. */
export function partyProgressOf(status: DisbursementStatus | undefined): PartyProgress | undefined {
  return status !== undefined && PROGRESS_STATUSES.has(status) ? (status as PartyProgress) : undefined;
}

function emptyFacts(role: ManagedPartyRole | undefined): PartyFacts {
  return {
    role,
    notified: false,
    viewed: false,
    bounced: false,
    authenticated: false,
    decision: undefined,
    decidedAt: undefined,
    decisionEventId: undefined,
  };
}

type Parties = Readonly<Record<string, PartyFacts>>;

function roleIn(context: LifecycleContext | undefined, partyId: string): ManagedPartyRole | undefined {
  if (partyId === recipientPartyIdOf(context)) return 'recipient';
  return context?.parties?.find((p) => p.partyId === partyId)?.role;
}

function factsOf(parties: Parties, partyId: string, context: LifecycleContext | undefined): PartyFacts {
  const current = parties[partyId];
  if (current === undefined) return emptyFacts(roleIn(context, partyId));
  return current.role === undefined ? { ...current, role: roleIn(context, partyId) } : current;
}

/** Records a notification or authentication step of one party. */
export function withPartyProgress(
  parties: Parties,
  partyId: string,
  progress: PartyProgress,
  context: LifecycleContext | undefined,
): Parties {
  const facts = factsOf(parties, partyId, context);
  if (facts[progress] && facts === parties[partyId]) return parties;
  // Viewing or authenticating proves the notification arrived.
  const notified = facts.notified || progress !== 'bounced';
  return { ...parties, [partyId]: { ...facts, notified, [progress]: true } };
}

const earlier = (a: EventStamp, b: EventStamp) => a.atMs < b.atMs || (a.atMs === b.atMs && a.id < b.id);

/** Records an approver's decision: a decline beats an approval; of equal decisions the earliest event dates it. */
export function withPartyDecision(
  parties: Parties,
  partyId: string,
  decision: ApprovalDecision,
  stamp: EventStamp,
  context: LifecycleContext | undefined,
): Parties {
  const facts = factsOf(parties, partyId, context);
  const currentStamp: EventStamp | undefined =
    facts.decisionEventId === undefined
      ? undefined
      : { atMs: facts.decidedAt === undefined ? 0 : Date.parse(facts.decidedAt), tie: 0, id: facts.decisionEventId };
  const replaces =
    facts.decision === undefined ||
    (facts.decision === 'approved' && decision === 'declined') ||
    (facts.decision === decision && currentStamp !== undefined && earlier(stamp, currentStamp));
  if (!replaces) return parties;
  return {
    ...parties,
    [partyId]: {
      ...facts,
      // A decision means the approver opened and authenticated first (there is no other way to act).
      notified: true,
      authenticated: true,
      decision,
      decidedAt: stamp.atMs > 0 ? new Date(stamp.atMs).toISOString() : undefined,
      decisionEventId: stamp.id,
    },
  };
}
