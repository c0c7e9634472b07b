import type { ManagedStageRequest, StageRequest } from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { FieldCipher } from './field-encryption.js';
import type { DatabaseSchema } from './schema.js';

/** What is stored per payout: the v3 stage request, or the v4 (Managed Parties) body. */
export type StoredStageRequest = StageRequest | ManagedStageRequest;

export function isManagedRequest(request: StoredStageRequest): request is ManagedStageRequest {
  return 'transaction_parties' in request;
}

/** AAD context of a disbursement's encrypted stage request: binds the ciphertext to its row. */
export function requestContext(disbursementId: string): string {
  return `disbursement_requests.request_enc:${disbursementId}`;
}

/** Stores the stage request (as sent to Ingo, v3 or v4) encrypted; it holds every sensitive field. */
export async function storeStageRequest(
  db: Kysely<DatabaseSchema>,
  cipher: FieldCipher,
  disbursementId: string,
  request: StoredStageRequest,
): Promise<void> {
  await db
    .insertInto('disbursement_requests')
    .values({
      disbursement_id: disbursementId,
      request_enc: cipher.encrypt(JSON.stringify(request), requestContext(disbursementId)),
    })
    .execute();
}

export async function loadStageRequest(
  db: Kysely<DatabaseSchema>,
  cipher: FieldCipher,
  disbursementId: string,
): Promise<StoredStageRequest | undefined> {
  const row = await db
    .selectFrom('disbursement_requests')
    .select('request_enc')
    .where('disbursement_id', '=', disbursementId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : (JSON.parse(cipher.decrypt(row.request_enc, requestContext(disbursementId))) as StoredStageRequest);
}
