// The client's optional limiter (docs/ingo-contract.md §4.2), end to end through IngoClient: a stub fetch records
// when each request starts under fake timers, so the test counts starts instead of measuring time.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IngoClient, type IngoClientOptions } from '../src/client/ingo-client.js';
import { exampleStage } from './support/example-requests.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A client whose fetch answers at once and records each request's start (virtual ms since t0). */
function recordingClient(options: Partial<IngoClientOptions>, answers: () => unknown = () => undefined) {
  const t0 = Date.now();
  const starts: number[] = [];
  let next = 1_000;
  const fetchStub: typeof fetch = async () => {
    starts.push(Date.now() - t0);
    const body = answers() ?? { status: 100, client_message: 'Success', data: { notification_id: next++ } };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const client = new IngoClient({
    username: 'notifykit-test',
    secret: 'S3CRET-PLANTED-7f3a9c1e2b',
    participantId: 12345,
    baseUrl: 'http://ingo.invalid',
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    fetch: fetchStub,
    ...options,
  });
  return { client, starts };
}

const stage = (client: IngoClient, i: number) => {
  const { participant_id: _p, ...body } = exampleStage({ participant_unique_id1: `rl-${i}` });
  return client.notify.stage(body as never);
};

async function settle(calls: Promise<unknown>[]) {
  await vi.advanceTimersByTimeAsync(60_000);
  return Promise.all(calls);
}

describe('IngoClient rateLimit', () => {
  it('is off by default: every call starts at once', async () => {
    const { client, starts } = recordingClient({});
    await settle(Array.from({ length: 12 }, (_, i) => stage(client, i)));
    expect(starts).toEqual(Array(12).fill(0));
  });

  it('{ requestsPerSecond: 5 } keeps to 5 request starts per second', async () => {
    const { client, starts } = recordingClient({ rateLimit: { requestsPerSecond: 5 } });
    const results = await settle(Array.from({ length: 12 }, (_, i) => stage(client, i)));
    expect(results).toHaveLength(12);
    expect(starts).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
  });

  it('counts retries as requests too', async () => {
    let n = 0;
    // Every call's first attempt meets a 503 envelope and is retried.
    const { client, starts } = recordingClient({ rateLimit: { requestsPerSecond: 2 } }, () =>
      n++ % 2 === 0 ? { status: 503, client_message: 'busy', data: {} } : undefined,
    );
    await settle([stage(client, 1), stage(client, 2)]);
    expect(starts).toHaveLength(4);
    for (const t of starts) expect(starts.filter((s) => s >= t && s < t + 1000).length).toBeLessThanOrEqual(2);
  });
});
