import { describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { scrapeMetrics } from './support/metrics-scrape.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { describeSeededApi } from './support/seeded-api.js';
import { stageBody } from './support/stage-body.js';

// Listing, filtering and paging, the detail, the webhook inbox, stats and the operations endpoints.

const postgres = await requirePostgresUnlessLocal();

describeSeededApi(postgres, 'reads', (api) => {
  describe('GET /api/v1/disbursements', () => {
    const ids = (page: { data: { id: string }[] }) => page.data.map((d) => d.id);

    it('lists newest first and pages with a cursor, each row exactly once', async () => {
      const all = await json(api.server.api('/api/v1/disbursements?limit=200'));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: { id: string }[]; next_cursor: string | null } = await json(
          api.server.api(`/api/v1/disbursements?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
        );
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...ids(page));
        cursor = page.next_cursor;
      } while (cursor);
      expect(seen).toEqual(ids(all));
      const created = all.data.map((d: { created_at: string }) => d.created_at);
      expect([...created].sort().reverse()).toEqual(created);
    });

    it('filters by status (one or several), amount range and created range', async () => {
      const funded = await json(api.server.api('/api/v1/disbursements?status=funded'));
      expect(ids(funded).sort()).toEqual(
        api.seeded
          .filter((s) => s.status === 'funded')
          .map((s) => s.id)
          .sort(),
      );
      const two = await json(api.server.api('/api/v1/disbursements?status=claimed,notified'));
      expect(ids(two).sort()).toEqual(
        api.seeded
          .filter((s) => ['claimed', 'notified'].includes(s.status))
          .map((s) => s.id)
          .sort(),
      );
      const amounts = await json(api.server.api('/api/v1/disbursements?amount_min=20.50&amount_max=40'));
      expect(ids(amounts).sort()).toEqual([api.seeded[1]!.id, api.seeded[2]!.id, api.seeded[3]!.id].sort());
      const from = new Date(api.seeded[2]!.createdAfter).toISOString();
      const to = new Date(api.seeded[4]!.createdAfter).toISOString();
      const range = await json(api.server.api(`/api/v1/disbursements?created_from=${from}&created_to=${to}`));
      expect(ids(range).sort()).toEqual([api.seeded[2]!.id, api.seeded[3]!.id].sort());
      const updated = await json(
        api.server.api(`/api/v1/disbursements?updated_from=${new Date(Date.now() + 60_000).toISOString()}`),
      );
      expect(updated.data).toEqual([]);
    });

    it('searches ids exactly and recipient names by part, ignoring case and accents', async () => {
      expect(ids(await json(api.server.api(`/api/v1/disbursements?q=${api.seeded[0]!.puid1}`)))).toEqual([
        api.seeded[0]!.id,
      ]);
      expect(ids(await json(api.server.api(`/api/v1/disbursements?q=${api.seeded[3]!.id}`)))).toEqual([
        api.seeded[3]!.id,
      ]);
      expect(ids(await json(api.server.api('/api/v1/disbursements?q=90' + '1')))).toEqual([api.seeded[1]!.id]);
      expect(ids(await json(api.server.api('/api/v1/disbursements?q=angstrom')))).toEqual([api.seeded[0]!.id]);
      const smiths = await json(api.server.api('/api/v1/disbursements?q=SMITH&status=funded'));
      expect(ids(smiths)).toEqual([api.seeded[3]!.id]);
      // LIKE wildcards are literal.
      expect((await json(api.server.api('/api/v1/disbursements?q=%25'))).data).toEqual([]);
    });

    it('filters by updated range (from inclusive, to exclusive) and by tracer_id / participant_unique_id2', async () => {
      const all = (await json(api.server.api('/api/v1/disbursements?limit=200'))).data as {
        id: string;
        updated_at: string;
        tracer_id: string;
      }[];
      const target = all.find((d) => d.id === api.seeded[2]!.id)!;
      const at = Date.parse(target.updated_at);
      const from = new Date(at).toISOString();
      const to = new Date(at + 1).toISOString();
      const exact = await json(api.server.api(`/api/v1/disbursements?updated_from=${from}&updated_to=${to}&limit=200`));
      const expected = all.filter((d) => Date.parse(d.updated_at) === at).map((d) => d.id);
      expect(ids(exact).sort()).toEqual(expected.sort());
      expect(ids(exact)).toContain(target.id);
      const before = await json(api.server.api(`/api/v1/disbursements?updated_to=${from}&limit=200`));
      expect(ids(before).sort()).toEqual(
        all
          .filter((d) => Date.parse(d.updated_at) < at)
          .map((d) => d.id)
          .sort(),
      );
      expect(ids(await json(api.server.api(`/api/v1/disbursements?q=${target.tracer_id}`)))).toEqual([target.id]);
      const puid2 = `p2-${Date.now()}`;
      const withPuid2 = await json(api.create({ ...stageBody(), participant_unique_id2: puid2 }));
      expect(ids(await json(api.server.api(`/api/v1/disbursements?q=${puid2}`)))).toEqual([withPuid2.id]);
    });

    it('pages a filtered list with the cursor', async () => {
      const first = await json(api.server.api('/api/v1/disbursements?status=funded&limit=1'));
      expect(first.next_cursor).not.toBeNull();
      const second = await json(
        api.server.api(`/api/v1/disbursements?status=funded&limit=1&cursor=${first.next_cursor}`),
      );
      expect(second.next_cursor).toBeNull();
      expect([...ids(first), ...ids(second)].sort()).toEqual([api.seeded[3]!.id, api.seeded[4]!.id].sort());
    });

    const bad: [string, string][] = [
      ['unknown parameter', 'stauts=funded'],
      ['unknown status', 'status=paid'],
      ['malformed date', 'created_from=yesterday'],
      ['impossible date', 'created_from=2025-13-45'],
      ['malformed amount', 'amount_min=ten'],
      ['amount_min > amount_max', 'amount_min=50&amount_max=10'],
      ['limit 0', 'limit=0'],
      ['limit 500', 'limit=500'],
      ['forged cursor', 'cursor=bm90LWEtY3Vyc29y'],
      ['empty q', 'q='],
    ];
    for (const [label, query] of bad) {
      it(`400 on ${label}`, async () => {
        const response = await api.server.api(`/api/v1/disbursements?${query}`);
        expect(response.status).toBe(400);
        expect((await json(response)).error.code).toMatch(/^invalid_(query|cursor)$/);
      });
    }
  });

  describe('GET /api/v1/disbursements/{id}', () => {
    it('returns the disbursement, decrypted recipient, redacted answers and the timeline', async () => {
      const detail = await json(api.server.api(`/api/v1/disbursements/${api.seeded[2]!.id}`));
      expect(detail.status).toBe('claimed');
      expect(detail.recipient.email).toMatch(/@example\.com$/);
      expect(detail.request.authentication_records[0].client_provided_value).toBe('[REDACTED]');
      expect(detail.timeline.map((t: { kind: string }) => t.kind)).toEqual([
        'created',
        'stage_retry',
        'event',
        'event',
      ]);
      expect(detail.timeline.at(-1)).toMatchObject({ status_before: 'notified', status_after: 'claimed' });
      // What the lifecycle state means, not the reducer's internals (disbursement-detail.test.ts has more).
      expect(detail).toMatchObject({
        kind: 'classic',
        currency: 'USD',
        on_hold: false,
        hold: { active: false, reasons: [] },
        authentication: { passed: true },
        cancel: { allowed: false, requested_at: null, outcome: null },
        approvals: null,
        parties: [],
      });
      expect(detail.cancel.reason).toContain('claimed');
      expect(detail.attention.map((a: { code: string }) => a.code)).toEqual(['stage_retrying']);
      expect(JSON.stringify(detail)).not.toMatch(/side_facts|evidence|accountStamp|appliedEventIds|onHold/);
    });

    it('400 on a malformed id, 404 on an unknown one, 400 on query parameters', async () => {
      const malformed = await api.server.api('/api/v1/disbursements/not-an-id');
      expect(malformed.status).toBe(400);
      expect((await json(malformed)).error.code).toBe('invalid_id');
      const unknown = await api.server.api('/api/v1/disbursements/dsb_0000000000000000000000000000');
      expect(unknown.status).toBe(404);
      expect((await json(unknown)).error.code).toBe('not_found');
      const query = await api.server.api(`/api/v1/disbursements/${api.seeded[0]!.id}?expand=all`);
      expect(query.status).toBe(400);
    });
  });

  describe('GET /api/v1/events', () => {
    it('lists events newest first with filters and a cursor', async () => {
      const all = await json(api.server.api('/api/v1/events?limit=200'));
      expect(all.data.length).toBeGreaterThanOrEqual(5);
      const seqs = all.data.map((e: { seq: number }) => e.seq);
      expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
      const first = await json(api.server.api('/api/v1/events?limit=2'));
      const second = await json(api.server.api(`/api/v1/events?limit=2&cursor=${first.next_cursor}`));
      expect([...first.data, ...second.data].map((e: { seq: number }) => e.seq)).toEqual(seqs.slice(0, 4));
      const forOne = await json(api.server.api(`/api/v1/events?disbursement_id=${api.seeded[2]!.id}`));
      expect(forOne.data.map((e: { topic: string }) => e.topic).sort()).toEqual([
        'transaction.account.tokenization.success',
        'transaction.recipient.notification.status.sent',
      ]);
      const byTopic = await json(
        api.server.api('/api/v1/events?topic=transaction.recipient.payment.status.success&orphan=false'),
      );
      expect(byTopic.data).toHaveLength(2);
      expect((await json(api.server.api('/api/v1/events?notification_id=903'))).data).toHaveLength(1);
    });

    for (const query of ['orphan=maybe', 'limit=abc', 'cursor=!!', 'unknown=1']) {
      it(`400 on ${query}`, async () => {
        const response = await api.server.api(`/api/v1/events?${query}`);
        expect(response.status).toBe(400);
      });
    }
  });

  describe('GET /api/v1/stats', () => {
    it('counts and amounts per status, the funnel and the median time to fund', async () => {
      const stats = await json(api.server.api('/api/v1/stats'));
      expect(stats.by_status.funded).toEqual({ count: 2, amount: '90.00', amount_cents: 9000 });
      expect(stats.by_status.claimed).toMatchObject({ count: 1, amount: '30.00' });
      expect(stats.total.count).toBe(
        Object.values(stats.by_status).reduce((n: number, s) => n + (s as { count: number }).count, 0),
      );
      const funnel = Object.fromEntries(
        stats.funnel.map((f: { step: string; reached: number }) => [f.step, f.reached]),
      );
      // A later step implies the earlier ones: claimed and funded disbursements count as notified and viewed.
      expect(funnel).toMatchObject({
        staged: 4,
        notified: 4,
        viewed: 3,
        authenticated: 3,
        claimed: 3,
        approved: 2,
        funded: 2,
      });
      // Funded 100 s and 300 s after creation (by the events' clock): the median lies between.
      expect(stats.median_time_to_fund_ms).toBeGreaterThan(150_000);
      expect(stats.median_time_to_fund_ms).toBeLessThan(250_000);
      expect(stats.outbox_depth).toBeGreaterThanOrEqual(1);
    });

    it('400 on any query parameter', async () => {
      expect((await api.server.api('/api/v1/stats?from=2025-01-01')).status).toBe(400);
    });
  });

  describe('operations endpoints', () => {
    it('/healthz, /readyz, /metrics, / and JSON 404s', async () => {
      expect(await json(fetch(`${api.server.url}/healthz`))).toEqual({ status: 'ok' });
      const ready = await fetch(`${api.server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect((await json(ready)).status).toBe('ready');
      const metrics = await scrapeMetrics(api.server.url);
      for (const name of [
        'notifykit_webhooks_received_total',
        'notifykit_webhooks_duplicate_total',
        'notifykit_webhooks_rejected_total',
        'notifykit_stage_calls_total',
        'notifykit_outbox_depth',
        'notifykit_lifecycle_transitions_total',
        'notifykit_http_request_duration_seconds_bucket',
      ]) {
        expect(metrics).toContain(name);
      }
      expect(metrics).toMatch(/notifykit_stage_calls_total\{outcome="retry"\} \d+/);
      expect(metrics).toMatch(/notifykit_lifecycle_transitions_total\{from="pending",to="notified"\} \d+/);
      const home = await fetch(`${api.server.url}/`);
      expect(home.headers.get('content-type')).toContain('text/html');
      expect(await home.text()).toContain('/api/v1/openapi.json');
      const missing = await fetch(`${api.server.url}/nope`);
      expect(missing.status).toBe(404);
      expect((await json(missing)).error.code).toBe('not_found');
    });
  });
});
