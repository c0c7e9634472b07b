import { randomBytes } from 'node:crypto';
import { startSandbox } from '@notifykit/sandbox';
import { signRequest, signWebhook } from '@notifykit/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS } from '../../src/app/config.js';
import { json } from '../support/json-body.js';
import { requirePostgresUnlessLocal } from '../support/postgres.js';
import { rowCounts } from '../support/row-counts.js';
import { stageBody, unreachableIngo } from '../support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from '../support/test-databases.js';
import { startTestServer, type TestServer, tempDir } from '../support/test-server.js';
import { deliverWebhook, webhookPayload } from '../support/webhook-delivery.js';
import { reportFigures } from './support/figures.js';
import { knob } from './support/knobs.js';

// Replay and forgery: a correctly signed webhook sent 1,000 times at once is applied once; anything not
// signed with a current secret over the exact bytes is 401 and stores nothing; the sandbox refuses
// requests whose X-Date is outside ±300 s.

const REPLAYS = knob('REPLAYS', 1000);

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('reliability-replay');
afterAll(() => dir.remove());

// One encryption key for every server of this file: a restarted server must read what the last one stored.
const encryptionKey = randomBytes(32).toString('base64');

async function serverWith(databaseUrl: string, secrets: string): Promise<TestServer> {
  return startTestServer({
    databaseUrl,
    encryptionKey,
    webhookSecret: secrets,
    serverOptions: { fetch: unreachableIngo, outboxWorker: false },
  });
}

/** A pending payout (Ingo unreachable) and the `sent` webhook that names it. */
async function payoutAndWebhook(server: TestServer) {
  const puid1 = `replay-${randomBytes(4).toString('hex')}`;
  const created = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ puid1 }) }));
  const body = webhookPayload({
    topic: 'transaction.recipient.notification.status.sent',
    puid1,
    notificationId: String(9_000_000 + Math.floor(Math.random() * 100_000)),
  });
  return { id: created.id as string, body };
}

function replayScenario(name: 'SQLite' | 'PostgreSQL', database: TestDatabaseFactory) {
  describe(`replay and forgery on ${name}`, () => {
    it(`a valid webhook replayed ${REPLAYS}× concurrently is applied once`, async () => {
      const db = await database();
      const secret = `whsec-${randomBytes(12).toString('hex')}`;
      const server = await serverWith(db.url, secret);
      try {
        const { id, body } = await payoutAndWebhook(server);
        const before = await rowCounts(server.server.database);
        const started = Date.now();
        const answers = await Promise.all(
          Array.from({ length: REPLAYS }, () =>
            deliverWebhook(server.url, body, secret).then(
              async (r) => ({ status: r.status, body: await json(r) }),
              (error: Error) => ({ status: 0, body: error.message }),
            ),
          ),
        );
        const convergeMs = Date.now() - started;
        const after = await rowCounts(server.server.database);
        const detail = await json(server.api(`/api/v1/disbursements/${id}`));
        const applied = detail.timeline.filter((t: { event: unknown }) => t.event !== null).length;
        const firsts = answers.filter((a) => a.status === 200 && a.body.duplicate === false).length;
        const fivexx = answers.filter((a) => a.status >= 500 || a.status === 0).length;
        reportFigures(`replay/${name}`, {
          sent: REPLAYS,
          acknowledged: answers.filter((a) => a.status === 200).length,
          applied,
          lost: 0,
          appliedTwice: Math.max(0, applied - 1),
          notDuplicate: firsts,
          fivexx,
          convergeMs,
        });
        expect(fivexx).toBe(0);
        expect(answers.every((a) => a.status === 200)).toBe(true);
        expect(firsts, 'exactly one delivery is the first').toBe(1);
        expect(after).toEqual({ ...before, events: before.events + 1, timeline: before.timeline + 1 });
        expect(applied).toBe(1);
        expect(detail.status).toBe('notified');
        const stored = await server.server.database.db
          .selectFrom('events')
          .select('duplicate_count')
          .where('disbursement_id', '=', id)
          .executeTakeFirstOrThrow();
        expect(Number(stored.duplicate_count)).toBe(REPLAYS - 1);
      } finally {
        await server.close();
        await db.cleanup();
      }
    });

    it('another secret, a truncated signature, a re-serialized body, an old secret after rotation: 401, nothing stored', async () => {
      const db = await database();
      const current = `whsec-new-${randomBytes(8).toString('hex')}`;
      const old = `whsec-old-${randomBytes(8).toString('hex')}`;
      // During the rotation both secrets verify; afterwards only the new one.
      let server = await serverWith(db.url, `${current},${old}`);
      try {
        const { body } = await payoutAndWebhook(server);
        const duringRotation = await deliverWebhook(server.url, webhookPayload({ topic: 'x.y', puid1: 'none' }), old);
        expect(duringRotation.status).toBe(200);
        await server.close();
        server = await serverWith(db.url, current);
        const before = await rowCounts(server.server.database);
        const signature = signWebhook(body, current);
        const reserialized = JSON.stringify(JSON.parse(body), null, 1);
        const forgeries: [string, Promise<Response>][] = [
          ['another secret', deliverWebhook(server.url, body, `whsec-other-${randomBytes(8).toString('hex')}`)],
          ['the old secret after rotation', deliverWebhook(server.url, body, old)],
          [
            'a truncated signature',
            deliverWebhook(server.url, body, current, { 'x-ingo-signature': signature.slice(0, -4) }),
          ],
          [
            'a re-serialized body',
            deliverWebhook(server.url, reserialized, current, { 'x-ingo-signature': signature }),
          ],
          [
            'no signature',
            fetch(`${server.url}/webhooks/ingo`, {
              method: 'POST',
              body,
              headers: { 'content-type': 'application/json' },
            }),
          ],
        ];
        for (const [what, pending] of forgeries) {
          const response = await pending;
          const answer = await json(response);
          expect(response.status, what).toBe(401);
          expect(answer.error.code, what).toMatch(/^[a-z_]+$/);
        }
        expect(await rowCounts(server.server.database)).toEqual(before);
        // The genuine article still goes through: the 401s were about the signatures.
        expect((await deliverWebhook(server.url, body, current)).status).toBe(200);
        reportFigures(`forgery/${name}`, {
          sent: forgeries.length + 1,
          acknowledged: 1,
          applied: 1,
          lost: 0,
          appliedTwice: 0,
          convergeMs: 0,
          refused401: forgeries.length,
        });
      } finally {
        await server.close();
        await db.cleanup();
      }
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'replay.db' }, 'rel_replay', replayScenario);

describe('the sandbox refuses a stale or future X-Date', () => {
  it('±301 s, an hour, a year, 1970: 401 on the gateway and the control API; now: accepted', async () => {
    const sandbox = await startSandbox({ port: 0, db: ':memory:', logLevel: 'silent' });
    const credential = {
      username: DEVELOPMENT_DEFAULTS.ingoUsername,
      secret: DEVELOPMENT_DEFAULTS.ingoSecret,
    };
    try {
      const stage = (date: Date) => {
        const body = JSON.stringify({
          ...stageBody({ puid1: `xdate-${date.getTime()}` }),
          participant_id: DEVELOPMENT_DEFAULTS.ingoParticipantId,
        });
        const { headers } = signRequest({ method: 'POST', path: '/gateway/v3/notify', body, date, ...credential });
        return fetch(`${sandbox.url}/gateway/v3/notify`, { method: 'POST', headers, body });
      };
      const clock = (date: Date) => {
        const { headers } = signRequest({
          method: 'GET',
          path: '/_sandbox/notifications',
          body: '',
          date,
          headers: ['request-line', 'x-date', 'content-sha512'],
          ...credential,
        });
        return fetch(`${sandbox.url}/_sandbox/notifications`, { headers });
      };
      // An X-Date carries whole seconds: a date `skew` s away, taken fresh for each request and rounded
      // away from now, so that +301 s never arrives as 300.x s (it did once, on a loaded machine).
      const away = (skew: number) => new Date(Date.now() + skew * 1000 + (skew > 0 ? 999 : 0));
      const skews = [-301, 301, -3600, 3600, -365 * 86_400, 10 * 365 * 86_400];
      for (const skew of skews) {
        expect((await stage(away(skew))).status, `gateway X-Date ${skew} s`).toBe(401);
        expect((await clock(away(skew))).status, `control X-Date ${skew} s`).toBe(401);
      }
      expect((await stage(new Date(0))).status, 'gateway X-Date 1970').toBe(401);
      const listed = await clock(new Date());
      expect(listed.status).toBe(200);
      expect((await json(listed)).notifications, 'no refused stage created anything').toHaveLength(0);
      expect((await stage(new Date())).status).toBe(200);
      reportFigures('x-date/sandbox', {
        sent: skews.length * 2 + 3,
        acknowledged: 2,
        applied: 1,
        lost: 0,
        appliedTwice: 0,
        convergeMs: 0,
        refused401: skews.length * 2 + 1,
      });
    } finally {
      await sandbox.close();
    }
  });
});
