import type { Database } from './connection.js';
import type { FieldCipher } from './field-encryption.js';
import { requestContext } from './stored-request.js';

/**
 * Re-encrypts every stored value that is not under the current (first) key, in small batches, so the
 * old key can then be removed from NOTIFYKIT_ENCRYPTION_KEY. Safe to run while the server is up.
 */
export async function reencryptAll(database: Database, cipher: FieldCipher, batchSize = 500): Promise<number> {
  let rewritten = 0;
  let after = '';
  for (;;) {
    const rows = await database.db
      .selectFrom('disbursement_requests')
      .select(['disbursement_id as id', 'request_enc'])
      .where('disbursement_id', '>', after)
      .orderBy('disbursement_id')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) return rewritten;
    after = rows[rows.length - 1]!.id;
    const stale = rows.filter((r) => cipher.needsReencryption(r.request_enc));
    if (stale.length === 0) continue;
    await database.db.transaction().execute(async (trx) => {
      for (const row of stale) {
        const context = requestContext(row.id);
        const value = cipher.encrypt(cipher.decrypt(row.request_enc, context), context);
        await trx
          .updateTable('disbursement_requests')
          .set({ request_enc: value })
          .where('disbursement_id', '=', row.id)
          .where('request_enc', '=', row.request_enc)
          .execute();
      }
    });
    rewritten += stale.length;
  }
}
