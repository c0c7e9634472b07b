// A Managed Parties (v4) payout from its REST body: the v4 body the server sends to Ingo (checked by the
// SDK's v4 schema, every rule of docs/ingo-contract.md §5), and the parties stored on the row. Issues of
// the v4 body are reported under the REST names the caller sent (parties.1.first_name, not
// transaction_parties.1.name_personal.first_name).

import {
  amountToCents,
  type ManagedStageRequest,
  normalizeManagedStagePhones,
  type ProgramRules,
  ValidationError,
  type ValidationIssue,
  validateManagedStageRequest,
} from '@notifykit/sdk';
import { InvalidRequest } from '../errors.js';
import { type ManagedDisbursementBody, managedDisbursementBody } from '../http/body-schemas.js';
import type { StoredParty } from '../lifecycle/managed-parties.js';

const ROLE_NUMBER = { recipient: 0, approver: 1, interested_party: 2 } as const;

// v4 path (after `transaction_parties.N.`) → REST field; the first match wins.
const PARTY_PATHS: readonly [RegExp, string][] = [
  [/^name_personal\.(first_name|last_name)/, '$1'],
  [/^contact_telcom\.(email|phone_mobile)/, '$1'],
  [/^contact_address\./, 'address.'],
  [/^authentication/, 'authentication_records'],
  [/^notification/, 'notification_records'],
  [/^settings\.client_provided_id/, 'client_provided_id'],
  [/^settings\.role/, 'role'],
];
const TRANSACTION_PATHS: readonly [RegExp, string][] = [
  [/^transaction\.transaction_amount\.amount/, 'amount'],
  [/^transaction\.participant_unique_ids\./, ''],
  [/^transaction\.sender\.name_personal\./, 'sender.'],
  [/^transaction\.sender\.contact_telcom\./, 'sender.'],
  [/^transaction\.sender\./, 'sender.'],
  [/^transaction\./, ''],
  [/^transaction_parties/, 'parties'],
];

function restPath(path: string): string {
  const party = /^transaction_parties\.(\d+)\.(.*)$/.exec(path);
  if (party) {
    const [, index, rest] = party;
    const rule = PARTY_PATHS.find(([re]) => re.test(rest!));
    return `parties.${index}.${rule ? rest!.replace(rule[0], rule[1]) : rest}`;
  }
  const rule = TRANSACTION_PATHS.find(([re]) => re.test(path));
  return rule ? path.replace(rule[0], rule[1]) : path;
}

function invalid(issues: ValidationIssue[]): InvalidRequest {
  const text = issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ');
  return new InvalidRequest('validation_failed', `invalid Managed Parties payout: ${text}`, { issues });
}

export interface ManagedRequest {
  request: ManagedStageRequest;
  amountCents: number;
  parties: StoredParty[];
}

/** Builds and validates the v4 body; throws InvalidRequest naming each REST field at fault. */
export function managedRequestFrom(
  body: Record<string, unknown>,
  ids: { participantId: number; puid1: string; tracerId: string },
  rules: Partial<ProgramRules>,
): ManagedRequest {
  const parsed = managedDisbursementBody.safeParse(body);
  if (!parsed.success) {
    throw invalid(
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), rule: 'invalid', message: i.message })),
    );
  }
  const input: ManagedDisbursementBody = parsed.data;
  const amountCents = amountToCents(input.amount);
  if (amountCents === undefined || amountCents <= 0) {
    throw invalid([
      { path: 'amount', rule: 'format', message: 'must be a positive decimal dollar amount like "250.00"' },
    ]);
  }
  const parties = input.parties.map((p, i) => ({ ...p, client_provided_id: p.client_provided_id ?? `party-${i + 1}` }));
  const v4 = {
    request: { participant_id: ids.participantId, timestamp: Math.floor(Date.now() / 1000) },
    transaction: {
      transaction_amount: { amount: amountCents / 100, currency_code: 'USD' },
      participant_unique_ids: {
        participant_unique_id1: ids.puid1,
        ...(input.participant_unique_id2 === undefined ? {} : { participant_unique_id2: input.participant_unique_id2 }),
      },
      ...(input.workflow_id === undefined ? {} : { workflow_id: input.workflow_id }),
      notify_type: 0,
      sender: {
        name_personal: { first_name: input.sender.first_name, last_name: input.sender.last_name },
        ...(input.sender.email === undefined ? {} : { contact_telcom: { email: input.sender.email } }),
        ...(input.sender.sender_account === undefined ? {} : { sender_account: input.sender.sender_account }),
      },
      tracer_id: ids.tracerId,
    },
    transaction_parties: parties.map((p) => ({
      settings: {
        client_provided_id: p.client_provided_id,
        role: ROLE_NUMBER[p.role],
        classification: 1,
        recipient_enabled: p.role === 'recipient' ? 1 : 0,
      },
      name_personal: { first_name: p.first_name, last_name: p.last_name },
      contact_telcom: {
        ...(p.email === undefined ? {} : { email: p.email }),
        ...(p.phone_mobile === undefined ? {} : { phone_mobile: p.phone_mobile }),
      },
      ...(p.address === undefined ? {} : { contact_address: p.address }),
      ...(p.authentication_records === undefined ? {} : { authentication: p.authentication_records }),
      ...(p.notification_records === undefined ? {} : { notification: p.notification_records }),
    })),
  };
  let request: ManagedStageRequest;
  try {
    request = validateManagedStageRequest(normalizeManagedStagePhones(v4, rules), rules);
  } catch (error) {
    if (error instanceof ValidationError) throw invalid(error.issues.map((i) => ({ ...i, path: restPath(i.path) })));
    throw error;
  }
  return {
    request,
    amountCents,
    parties: parties.map((p) => ({
      client_provided_id: p.client_provided_id,
      role: ROLE_NUMBER[p.role],
      name: `${p.first_name} ${p.last_name}`,
      party_id: null,
    })),
  };
}
