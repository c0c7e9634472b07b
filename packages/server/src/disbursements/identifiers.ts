import { randomBytes, randomUUID } from 'node:crypto';

// Disbursement ids sort by creation time (48-bit millisecond prefix), which keeps B-tree inserts
// append-mostly and makes ids meaningful in logs; the random suffix makes them unguessable.
export function newDisbursementId(now = Date.now()): string {
  return `dsb_${now.toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;
}

/** Default `participant_unique_id1` (Ingo's idempotency key) when the caller gives none. */
export function newParticipantUniqueId(): string {
  return `nk-${randomUUID()}`;
}
