import { randomBytes } from 'node:crypto';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  UnknownRow,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.js';
import { FieldCipher } from '../src/db/field-encryption.js';
import { getDisbursementDetail } from '../src/disbursements/reads.js';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { describeOnPostgres, postgresDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// A payout's detail is one snapshot: its state and its timeline agree even when a webhook commits
// between the statements that read them. Read statement by statement, the sandbox end-to-end test on
// PostgreSQL once saw a payment event in the timeline beside the state from before it (payment_method
// null on a funded check payout). The failure injected here: a webhook committed, through the real
// server, right after the detail's first statement (the disbursement row) has returned.
//
// PostgreSQL only: there the server reads and writes on several pooled connections, so a commit can land
// between two statements of a read. The server's SQLite connection is one connection that a transaction
// holds for its duration, so nothing interleaves with the detail's read; and injecting the write from a
// second connection, as here, meets SQLite's file lock (SQLITE_BUSY) instead of the race.

const postgres = await requirePostgresUnlessLocal();

/** Runs `between` once, after the first query whose rows look like disbursements has returned. */
class AfterDisbursementRead implements KyselyPlugin {
  #done = false;
  constructor(private readonly between: () => Promise<void>) {}
  transformQuery(args: PluginTransformQueryArgs) {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const first = args.result.rows[0];
    if (!this.#done && first !== undefined && 'lifecycle_state' in first) {
      this.#done = true;
      await this.between();
    }
    return args.result;
  }
}

function suite(name: string, database: TestDatabaseFactory) {
  describe(name, () => {
    it('a webhook committed between the row and its timeline is in neither', async () => {
      let url = '';
      const encryptionKey = randomBytes(32).toString('base64');
      const server = await startOfflineServer(
        async () => {
          const db = await database();
          url = db.url;
          return db;
        },
        { encryptionKey },
      );
      const reader = openDatabase(url);
      try {
        const puid1 = `snap-${randomBytes(4).toString('hex')}`;
        const created = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ puid1 }) }));
        const sent = webhookPayload({ topic: 'transaction.recipient.notification.status.sent', puid1 });
        expect((await deliverWebhook(server.url, sent, server.webhookSecret)).status).toBe(200);

        const paid = webhookPayload({ topic: 'transaction.recipient.payment.status.success', puid1 });
        const injected = reader.db.withPlugin(
          new AfterDisbursementRead(async () => {
            expect((await deliverWebhook(server.url, paid, server.webhookSecret)).status).toBe(200);
          }),
        );
        const cipher = new FieldCipher([Buffer.from(encryptionKey, 'base64')]);
        const detail = (await getDisbursementDetail(injected, cipher, created.id)) as {
          status: string;
          timeline: { status_after: string | null }[];
        };
        expect(detail.status).toBe('notified');
        expect(detail.timeline.at(-1)?.status_after).toBe(detail.status);

        // The webhook did commit: the next read sees both.
        const after = await json(server.api(`/api/v1/disbursements/${created.id}`));
        expect(after.status).toBe('funded');
        expect(after.timeline.at(-1).status_after).toBe('funded');
      } finally {
        await reader.close();
        await server.close();
      }
    });
  });
}

describeOnPostgres(postgres, 'on PostgreSQL', () => suite('PostgreSQL', postgresDatabase('snapshot')));
