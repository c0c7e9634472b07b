import { startSandbox } from '@notifykit/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS, loadConfig } from '../src/app/config.js';
import { json } from './support/json-body.js';
import { eventually } from './support/local-stack.js';
import { samples, scrapeMetrics } from './support/metrics-scrape.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { startTestServer, tempDir } from './support/test-server.js';

// The outbox drains a backlog as fast as Ingo allows and no faster: batch and pace are settings,
// every call to Ingo goes through the SDK client's limiter (docs/ingo-contract.md §4.2: at most 5
// requests per second by default), and /metrics tells how old the oldest waiting request is.

const dir = tempDir('pace');
afterAll(() => dir.remove());
const dev = { NOTIFYKIT_ENV: 'development' };

describe('outbox settings', () => {
  it('defaults: 5 requests/s to Ingo, batches of 20; both configurable, nonsense refused', () => {
    const config = loadConfig(dev);
    expect(config.ingo.requestsPerSecond).toBe(5);
    expect(config.outbox.batchSize).toBe(20);
    const custom = loadConfig({ ...dev, NOTIFYKIT_INGO_RATE: '50', NOTIFYKIT_OUTBOX_BATCH: '200' });
    expect(custom.ingo.requestsPerSecond).toBe(50);
    expect(custom.outbox.batchSize).toBe(200);
    expect(loadConfig({ ...dev, NOTIFYKIT_INGO_RATE: '0' }).ingo.requestsPerSecond).toBe(0);
    expect(() => loadConfig({ ...dev, NOTIFYKIT_INGO_RATE: 'fast' })).toThrow(/NOTIFYKIT_INGO_RATE/);
    expect(() => loadConfig({ ...dev, NOTIFYKIT_OUTBOX_BATCH: '0' })).toThrow(/NOTIFYKIT_OUTBOX_BATCH/);
  });

  it('a batch never holds more than the rate can send within half a lease (claimed rows would expire waiting)', () => {
    const config = loadConfig({ ...dev, NOTIFYKIT_INGO_RATE: '2', NOTIFYKIT_OUTBOX_BATCH: '500' });
    // 2 requests/s × 60 s lease / 2 = 60.
    expect(config.outbox.batchSize).toBe(60);
  });
});

describe('draining a backlog', () => {
  it('every Ingo call is paced by the rate (no 1 s window holds more), the backlog drains, its age is in /metrics', async () => {
    const rate = 4;
    const count = 12;
    const databaseUrl = `sqlite:${dir.path}/pace.db`;
    // Ingo down: a backlog builds up (an unpaced instance, so building it takes no time).
    const before = await startTestServer({
      databaseUrl,
      env: { NOTIFYKIT_INGO_RATE: '0' },
      serverOptions: { fetch: unreachableIngo, outboxWorker: false },
    });
    const encryptionKey = before.server.config.encryptionKeys[0]!.toString('base64');
    try {
      for (let i = 0; i < count; i++) {
        expect((await before.api('/api/v1/disbursements', { method: 'POST', json: stageBody() })).status).toBe(202);
      }
    } finally {
      await before.close();
    }

    // Ingo is back; the instance that drains it is paced at `rate`.
    const sandbox = await startSandbox({ port: 0, db: ':memory:', speed: 0, logLevel: 'silent' });
    const starts: number[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      starts.push(performance.now());
      return fetch(input, init);
    };
    const server = await startTestServer({
      databaseUrl,
      encryptionKey,
      ingoBaseUrl: sandbox.url,
      ingoUsername: DEVELOPMENT_DEFAULTS.ingoUsername,
      ingoSecret: DEVELOPMENT_DEFAULTS.ingoSecret,
      ingoParticipantId: DEVELOPMENT_DEFAULTS.ingoParticipantId,
      env: { NOTIFYKIT_INGO_RATE: String(rate) },
      outbox: { leaseMs: 30_000, batchSize: 50 },
      serverOptions: { fetch: recordingFetch, outboxWorker: false },
    });
    try {
      const waiting = samples(await scrapeMetrics(server.url), 'notifykit_outbox_oldest_age_seconds').get('');
      expect(waiting).toBeGreaterThan(0);
      server.server.outbox.start();
      const drained = await eventually(
        () => json(server.api('/api/v1/stats')),
        (s) => s.outbox_depth === 0,
      );
      expect(drained.outbox_depth).toBe(0);
      expect(starts.length).toBeGreaterThanOrEqual(count);
      // The limiter's promise: any one-second window holds at most `rate` starts (a slower machine only
      // spreads them further apart, so this cannot fail for being slow). The 50 ms allowance is the
      // event-loop delay between the limiter's reservation and the fetch call that records it here;
      // unpaced, these calls would be a few milliseconds apart.
      const sorted = [...starts].sort((a, b) => a - b);
      for (let i = rate; i < sorted.length; i++) {
        expect(sorted[i]! - sorted[i - rate]!).toBeGreaterThanOrEqual(1000 - 50);
      }
      expect(samples(await scrapeMetrics(server.url), 'notifykit_outbox_oldest_age_seconds').get('')).toBe(0);
    } finally {
      await server.close();
      await sandbox.close();
    }
  });
});
