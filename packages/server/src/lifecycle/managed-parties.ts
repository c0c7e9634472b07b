// The parties of a Managed Parties (v4) payout as stored on its row (`disbursements.managed_parties`):
// what the reducer needs to tell the recipient's events from an approver's (the lifecycle context), and
// what the detail view shows per party and for the approvals. Sensitive values are not here: they stay
// in the encrypted stored request.

import {
  type DisbursementState,
  type LifecycleContext,
  type ManagedPartyResult,
  type ManagedPartyRole,
  partyRoleName,
} from '@notifykit/sdk';
import type { DisbursementRow } from '../db/schema.js';

export interface StoredParty {
  client_provided_id: string;
  /** Ingo's role: 0 recipient, 1 approver, 2 interested party. */
  role: 0 | 1 | 2;
  name: string;
  /** Ingo's party id, from the stage response; null until staged. */
  party_id: string | null;
}

/** The REST spelling of a role (response-schemas.ts). */
export type PartyRoleView = 'recipient' | 'approver' | 'interested_party';

const ROLE_VIEW: Readonly<Record<ManagedPartyRole, PartyRoleView>> = {
  recipient: 'recipient',
  approver: 'approver',
  interested: 'interested_party',
};

export function roleView(role: number): PartyRoleView {
  return ROLE_VIEW[partyRoleName(role) ?? 'interested'];
}

/** The stored parties of a row; empty for a classic payout. */
export function storedParties(row: Pick<DisbursementRow, 'managed_parties'>): StoredParty[] {
  return row.managed_parties === null ? [] : (JSON.parse(row.managed_parties) as StoredParty[]);
}

export const isManaged = (row: Pick<DisbursementRow, 'managed_parties'>): boolean => row.managed_parties !== null;

/** The reducer's context for a row: its parties with Ingo's ids (none for classic payouts). */
export function lifecycleContextOf(row: Pick<DisbursementRow, 'managed_parties'>): LifecycleContext | undefined {
  const parties = storedParties(row).filter((p): p is StoredParty & { party_id: string } => p.party_id !== null);
  if (parties.length === 0) return undefined;
  return { parties: parties.map((p) => ({ partyId: p.party_id, role: partyRoleName(p.role) })) };
}

/** The stored parties with the party ids of a v4 stage response, matched by client_provided_id. */
export function withPartyIds(parties: readonly StoredParty[], answered: readonly ManagedPartyResult[]): StoredParty[] {
  return parties.map((p) => ({
    ...p,
    party_id: answered.find((a) => a.clientProvidedId === p.client_provided_id)?.partyId ?? p.party_id,
  }));
}

/** The party a timeline event names: its party_id, or — for a party event carrying "" — the recipient. */
export function partyOfEvent(
  row: Pick<DisbursementRow, 'managed_parties'>,
  topic: string,
  partyId: string | null,
): { party_id: string | null; party_role: PartyRoleView | null } {
  const parties = storedParties(row);
  if (parties.length === 0) return { party_id: partyId, party_role: null };
  const id = partyId ?? (topic.includes('.party.') ? (parties.find((p) => p.role === 0)?.party_id ?? null) : null);
  const party = id === null ? undefined : parties.find((p) => p.party_id === id);
  return { party_id: id, party_role: party === undefined ? null : roleView(party.role) };
}

const iso = (text: string | undefined) => text ?? null;

/** Each party with its role, progress and decision (the detail view's `parties`). */
export function partiesView(row: Pick<DisbursementRow, 'managed_parties'>, state: DisbursementState) {
  return storedParties(row).map((p) => {
    const facts = p.party_id === null ? undefined : state.parties[p.party_id];
    return {
      party_id: p.party_id,
      client_provided_id: p.client_provided_id,
      role: roleView(p.role),
      name: p.name,
      notified: facts?.notified ?? false,
      viewed: facts?.viewed ?? false,
      authenticated: facts?.authenticated ?? false,
      decision: p.role === 1 ? (facts?.decision ?? null) : null,
      decided_at: p.role === 1 ? iso(facts?.decidedAt) : null,
    };
  });
}

/** Approval progress (the detail view's `approvals`); null for a classic payout. */
export function approvalsView(row: Pick<DisbursementRow, 'managed_parties'>, state: DisbursementState) {
  if (!isManaged(row)) return null;
  const approvers = storedParties(row).filter((p) => p.role === 1);
  const decisions = approvers.flatMap((p) => {
    const facts = p.party_id === null ? undefined : state.parties[p.party_id];
    return facts?.decision === undefined
      ? []
      : [{ party_id: p.party_id!, decision: facts.decision, decided_at: iso(facts.decidedAt) }];
  });
  return {
    required: approvers.length,
    approved: decisions.filter((d) => d.decision === 'approved').length,
    declined: decisions.filter((d) => d.decision === 'declined').length,
    complete: state.holds.approvals === 'released' || (approvers.length > 0 && decisions.length === approvers.length),
    decisions,
  };
}
