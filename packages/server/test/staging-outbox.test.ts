import { randomBytes } from 'node:crypto';
import { startSandbox } from '@notifykit/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS } from '../src/app/config.js';
import { json } from './support/json-body.js';
import { eventually, freePort } from './support/local-stack.js';
import { scrapeMetrics, stageCalls } from './support/metrics-scrape.js';
import { createTemporaryDatabase, requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { startTestServer, type TestServer, tempDir } from './support/test-server.js';

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('outbox');
afterAll(() => dir.remove());

const ingoCredentials = {
  ingoUsername: DEVELOPMENT_DEFAULTS.ingoUsername,
  ingoSecret: DEVELOPMENT_DEFAULTS.ingoSecret,
  ingoParticipantId: DEVELOPMENT_DEFAULTS.ingoParticipantId,
};

describe('staging through the outbox', () => {
  it('Ingo unreachable: answered 202 pending; once Ingo is up the worker stages it and webhooks follow', async () => {
    const ingoPort = await freePort();
    const serverPort = await freePort();
    const webhookSecret = `whsec-${randomBytes(8).toString('hex')}`;
    const server = await startTestServer({
      databaseUrl: `sqlite:${dir.path}/unreachable.db`,
      port: serverPort,
      webhookSecret,
      ingoBaseUrl: `http://127.0.0.1:${ingoPort}`,
      ...ingoCredentials,
    });
    let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
    try {
      const response = await server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() });
      expect(response.status).toBe(202);
      const pending = await json(response);
      expect(pending.status).toBe('pending');
      // A few worker passes fail too, with backoff.
      await new Promise((r) => setTimeout(r, 300));
      const waiting = await json(server.api(`/api/v1/disbursements/${pending.id}`));
      expect(waiting.status).toBe('pending');
      expect(waiting.timeline.filter((t: { kind: string }) => t.kind === 'stage_retry').length).toBeGreaterThanOrEqual(
        2,
      );
      expect((await json(server.api('/api/v1/stats'))).outbox_depth).toBe(1);

      sandbox = await startSandbox({
        port: ingoPort,
        db: ':memory:',
        webhookUrl: `http://127.0.0.1:${serverPort}/webhooks/ingo`,
        webhookSecret,
        speed: 50,
        logLevel: 'silent',
      });
      const funded = await eventually(
        () => json(server.api(`/api/v1/disbursements/${pending.id}`)),
        (d) => d.status === 'funded',
      );
      expect(funded.status).toBe('funded');
      const staged = funded.timeline.filter((t: { kind: string }) => t.kind === 'staged');
      expect(staged).toHaveLength(1);
      expect(staged[0].detail).toMatchObject({ ingo_status: 100, idempotent_replay: false });
      expect((await json(server.api('/api/v1/stats'))).outbox_depth).toBe(0);
    } finally {
      await sandbox?.close();
      await server.close();
    }
  });

  it("Ingo's permanent rejection (610 velocity limit) marks the disbursement failed with Ingo's code and message", async () => {
    const serverPort = await freePort();
    const webhookSecret = `whsec-${randomBytes(8).toString('hex')}`;
    const sandbox = await startSandbox({
      port: 0,
      db: ':memory:',
      credentials: `${DEVELOPMENT_DEFAULTS.ingoUsername}:${DEVELOPMENT_DEFAULTS.ingoSecret}:${DEVELOPMENT_DEFAULTS.ingoParticipantId}:limit=100.00`,
      webhookUrl: `http://127.0.0.1:${serverPort}/webhooks/ingo`,
      webhookSecret,
      speed: 0,
      logLevel: 'silent',
    });
    const server = await startTestServer({
      databaseUrl: 'sqlite::memory:',
      port: serverPort,
      webhookSecret,
      ingoBaseUrl: sandbox.url,
      ...ingoCredentials,
    });
    try {
      const first = await server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ amount: '60.00' }) });
      expect(first.status).toBe(201);
      expect((await json(first)).status).toBe('staged');
      const second = await server.api('/api/v1/disbursements', {
        method: 'POST',
        json: stageBody({ amount: '60.00' }),
      });
      expect(second.status).toBe(201);
      const failed = await json(second);
      expect(failed.status).toBe('failed');
      expect(failed.failure.code).toBe('610');
      expect(failed.failure.message.length).toBeGreaterThan(0);
      expect(failed.ingo_status).toBe(610);
      const detail = await json(server.api(`/api/v1/disbursements/${failed.id}`));
      expect(detail.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'stage_failed']);
      expect((await json(server.api('/api/v1/stats'))).outbox_depth).toBe(0);
      expect(stageCalls(await scrapeMetrics(server.url))).toMatchObject({ staged: 1, failed: 1 });
    } finally {
      await sandbox.close();
      await server.close();
    }
  });
});

describe.skipIf(!postgres.available)('scale-out: two server instances on one PostgreSQL', () => {
  it('share the outbox: every pending disbursement is staged by exactly one instance, exactly once', async () => {
    const temp = await createTemporaryDatabase('scaleout');
    const ingoPort = await freePort();
    const ports = [await freePort(), await freePort()];
    const webhookSecret = `whsec-${randomBytes(8).toString('hex')}`;
    // Instances of one deployment share their configuration, the encryption key included.
    const encryptionKey = randomBytes(32).toString('base64');
    const servers: TestServer[] = [];
    let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
    try {
      for (const port of ports) {
        servers.push(
          await startTestServer({
            databaseUrl: temp.url,
            port,
            webhookSecret,
            encryptionKey,
            ingoBaseUrl: `http://127.0.0.1:${ingoPort}`,
            ...ingoCredentials,
            outbox: { pollIntervalMs: 20, leaseMs: 10_000, baseBackoffMs: 30, maxBackoffMs: 60, batchSize: 5 },
          }),
        );
      }
      // Ingo is down: 30 disbursements pile up in the shared outbox, created through both instances.
      const created = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          json(servers[i % 2]!.api('/api/v1/disbursements', { method: 'POST', json: stageBody() })),
        ),
      );
      expect(created.every((d) => d.status === 'pending')).toBe(true);
      sandbox = await startSandbox({
        port: ingoPort,
        db: ':memory:',
        webhookUrl: `http://127.0.0.1:${ports[0]}/webhooks/ingo`,
        webhookSecret,
        speed: 0,
        logLevel: 'silent',
      });
      const done = await eventually(
        () => json(servers[1]!.api('/api/v1/stats')),
        (s) => s.outbox_depth === 0 && (s.by_status.staged?.count ?? 0) + (s.by_status.notified?.count ?? 0) === 30,
      );
      expect(done.outbox_depth).toBe(0);
      const calls = await Promise.all(servers.map(async (s) => stageCalls(await scrapeMetrics(s.url))));
      const successful = calls.reduce((n, c) => n + (c.staged ?? 0) + (c.replayed ?? 0), 0);
      // 30 successful stage calls in total: no row was sent twice (a double claim would show as a 101 replay).
      expect(successful).toBe(30);
      expect(calls.reduce((n, c) => n + (c.replayed ?? 0), 0)).toBe(0);
      expect(calls.every((c) => (c.staged ?? 0) > 0)).toBe(true);
      for (const d of created) {
        const detail = await json(servers[0]!.api(`/api/v1/disbursements/${d.id}`));
        expect(detail.timeline.filter((t: { kind: string }) => t.kind === 'staged')).toHaveLength(1);
      }
    } finally {
      await sandbox?.close();
      for (const s of servers) await s.close();
      await temp.drop();
    }
  });
});
