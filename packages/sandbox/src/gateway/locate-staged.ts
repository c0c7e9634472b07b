// How the cancel and the check API find the disbursement a request names (docs/ingo-contract.md §4, §4.1): by
// participant_unique_id1 and tracer_id, with notification_id as an optional extra locator. One rule,
// so the two endpoints can never disagree about what "not found" (782) means.

import type { NotificationRow } from '../store/rows.js';
import type { SandboxStore } from '../store/sandbox-store.js';
import { INGO_STATUS } from './envelope.js';

export interface StagedLocator {
  participant_unique_id1: string;
  tracer_id: string;
  notification_id?: number | undefined;
}

/** The refusal when nothing matches: 782, in either endpoint's answer. */
export const NOT_FOUND = {
  kind: 'refused',
  status: INGO_STATUS.notFound,
  message: 'Notification not found for this participant_unique_id1 and tracer_id',
} as const;

/** The participant's disbursement the locator names, or undefined. Call inside a store transaction. */
export function locateStaged(
  store: SandboxStore,
  participantId: number,
  locator: StagedLocator,
): NotificationRow | undefined {
  const row = store.findNotification(participantId, locator.participant_unique_id1);
  if (!row || row.tracer_id !== locator.tracer_id) return undefined;
  if (locator.notification_id !== undefined && locator.notification_id !== row.id) return undefined;
  return row;
}
