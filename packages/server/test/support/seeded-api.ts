import { afterAll, beforeAll, describe, expect } from 'vitest';
import { json } from './json-body.js';
import type { PostgresAvailability } from './postgres.js';
import { stageBody } from './stage-body.js';
import type { TestDatabaseFactory } from './test-databases.js';
import { describeOnEachDatabase } from './test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './test-server.js';
import { deliverWebhook, webhookPayload } from './webhook-delivery.js';

// The HTTP API suites' fixture: an offline server (Ingo unreachable, no outbox worker) with five
// disbursements moved to known statuses through real webhooks.

export interface SeededDisbursement {
  id: string;
  puid1: string;
  status: string;
  amount: string;
  name: string;
  createdAfter: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function postDisbursement(server: TestServer, body: unknown, headers: Record<string, string> = {}) {
  return server.api('/api/v1/disbursements', { method: 'POST', json: body, headers });
}

async function moveTo(server: TestServer, puid1: string, notificationId: string, topics: string[], timestamp?: number) {
  for (const topic of topics) {
    const response = await deliverWebhook(
      server.url,
      webhookPayload({ topic, puid1, notificationId, ...(timestamp ? { timestamp } : {}) }),
      server.webhookSecret,
    );
    expect(response.status).toBe(200);
  }
}

/** Seeded: pending, notified, claimed, funded (100 s after creation), funded (300 s after), in that order. */
export async function startSeededApiServer(
  database: TestDatabaseFactory,
): Promise<{ server: TestServer; seeded: SeededDisbursement[] }> {
  const server = await startOfflineServer(database);
  const seeded: SeededDisbursement[] = [];
  const plan = [
    { amount: '10.00', name: 'Zoë Ångström', topics: [] as string[] },
    { amount: '20.50', name: 'Bob Smith', topics: ['transaction.recipient.notification.status.sent'] },
    {
      amount: '30.00',
      name: 'Carol Jones',
      topics: ['transaction.recipient.notification.status.sent', 'transaction.account.tokenization.success'],
    },
    { amount: '40.00', name: 'Dan Smith', topics: ['transaction.recipient.payment.status.success'] },
    { amount: '50.00', name: 'Eve Adams', topics: ['transaction.recipient.payment.status.success'] },
  ];
  for (const [i, p] of plan.entries()) {
    const createdAfter = Date.now();
    await sleep(3);
    const [first, ...last] = p.name.split(' ');
    const body = {
      ...stageBody({ amount: p.amount }),
      recipient: { ...stageBody().recipient, first_name: first, last_name: last.join(' ') },
    };
    const d = await json(postDisbursement(server, body));
    // Funded 100 s (first) and 300 s (second) after creation, by the events' own clock.
    const fundedTs =
      i === 3 ? Math.floor(Date.now() / 1000) + 100 : i === 4 ? Math.floor(Date.now() / 1000) + 300 : undefined;
    await moveTo(server, d.participant_unique_id1, `90${i}`, p.topics, fundedTs);
    const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
    seeded.push({
      id: d.id,
      puid1: d.participant_unique_id1,
      status: detail.status,
      amount: p.amount,
      name: p.name,
      createdAfter,
    });
    await sleep(3);
  }
  expect(seeded.map((s) => s.status)).toEqual(['pending', 'notified', 'claimed', 'funded', 'funded']);
  return { server, seeded };
}

/** What an API suite works with; filled before its first test runs. */
export interface SeededApi {
  server: TestServer;
  seeded: SeededDisbursement[];
  create(body: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** Registers `suite` on SQLite and PostgreSQL, each run against its own seeded server. */
export function describeSeededApi(
  postgres: PostgresAvailability,
  label: string,
  suite: (api: SeededApi) => void,
): void {
  const dir = tempDir(`api-${label}`);
  afterAll(() => dir.remove());
  describeOnEachDatabase(postgres, { dir: dir.path, file: 'api.db' }, `api_${label}`, (name, database) => {
    describe(`HTTP API (${label}) on ${name}`, () => {
      const api = {
        seeded: [] as SeededDisbursement[],
        create: (body: unknown, headers: Record<string, string> = {}) => postDisbursement(api.server, body, headers),
      } as SeededApi;
      beforeAll(async () => {
        Object.assign(api, await startSeededApiServer(database));
      });
      afterAll(async () => {
        await api.server?.close();
      });
      suite(api);
    });
  });
}
