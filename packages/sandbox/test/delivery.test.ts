// Webhook delivery to a real receiver that verifies every signature: each scenario's topic sequence,
// both topic dialects and signature schemes, retries with a stable metadata.id after 500s and hangs,
// exhaustion and redelivery, bounded per-endpoint concurrency, duplicates and reordering on purpose.

import { CATALOG_TOPICS as C, IngoClient, type KnownTopic, QUICKSTART_TOPICS as Q, TOPIC_INFO } from '@notifykit/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxControlClient, type SandboxOptions, startSandbox } from '../src/index.js';
import { DEV } from './support/dev-credentials.js';
import { type Receiver, startReceiver } from './support/receiver.js';
import { stageBody } from './support/stage-body.js';
import { waitFor } from './support/wait-for.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  // Receivers first: a sandbox stopping with attempts in flight to a hung receiver waits its grace period.
  while (open.length > 0) await open.shift()!.close();
});

async function setup(options: SandboxOptions = {}, receiverOptions: Parameters<typeof startReceiver> = []) {
  const receiver = await startReceiver(...receiverOptions);
  open.push(receiver);
  const sandbox = await startSandbox({
    port: 0,
    db: ':memory:',
    logLevel: 'silent',
    speed: 200,
    webhookUrl: receiver.url,
    retrySchedule: [40, 80, 120],
    ...options,
  });
  open.push(sandbox);
  const ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
  const control = new SandboxControlClient({ baseUrl: sandbox.url, ...DEV });
  return { receiver, sandbox, ingo, control };
}

type Deliveries = { deliveries: { event_id: string; status: string; attempt_log: Record<string, unknown>[] }[] };

async function stage(ingo: IngoClient, email = 'alex@example.com') {
  const { notificationId } = await ingo.notify.stage(stageBody({}, { email }));
  return notificationId;
}

/** The delivery log once `ready` holds: the sandbox records an attempt just after the receiver answered. */
const logWhen = (
  control: SandboxControlClient,
  filter: Parameters<SandboxControlClient['deliveries']>[0],
  ready: (log: Deliveries) => boolean,
) =>
  waitFor(
    async () => {
      const log = (await control.deliveries(filter)) as Deliveries;
      return ready(log) && log;
    },
    { what: 'the delivery log' },
  );

const untilTopics = (receiver: Receiver, id: string, count: number) =>
  waitFor(() => receiver.topicsOf(id).length >= count && receiver.topicsOf(id), {
    what: `${count} webhooks for ${id}`,
  });

describe('every scenario delivers its topic sequence, signed', () => {
  it('catalog dialect, one delivery at a time (so arrival order is emission order)', async () => {
    const { receiver, ingo, control } = await setup({ deliveryConcurrency: 1 });
    const expected: Record<string, string[]> = {
      'happy@example.com': [
        C.recipientNotificationSent,
        C.recipientNotificationReceived,
        C.recipientAuthenticationSuccess,
        C.tokenizationSuccess,
        C.paymentSuccess,
      ],
      'a+bounce@example.com': [C.recipientNotificationSent, C.recipientNotificationBounced, C.disbursementExpired],
      'a+authfail@example.com': [
        C.recipientNotificationSent,
        C.recipientNotificationReceived,
        C.recipientAuthenticationFailure,
        C.recipientAuthenticationFailure,
        C.recipientAuthenticationFailure,
        C.paymentTerminated,
      ],
      'a+ofac@example.com': [
        C.recipientNotificationSent,
        C.recipientNotificationReceived,
        C.recipientAuthenticationSuccess,
        C.ofacSuspended,
        C.ofacFailure,
      ],
      'a+check@example.com': [
        C.recipientNotificationSent,
        C.recipientNotificationReceived,
        C.recipientAuthenticationSuccess,
        C.checkChosen,
        C.checkIssued,
        C.checkPaid,
      ],
      'a+paypal@example.com': [
        C.recipientNotificationSent,
        C.recipientNotificationReceived,
        C.recipientAuthenticationSuccess,
        C.tokenizationSuccess,
        C.paymentSuccess,
      ],
      'a+idle@example.com': [C.recipientNotificationSent, C.disbursementExpired],
      'a+return@example.com': [
        C.recipientNotificationSent,
        C.recipientNotificationReceived,
        C.recipientAuthenticationSuccess,
        C.tokenizationSuccess,
        C.paymentSuccess,
        C.paymentReturned,
      ],
    };
    const ids = new Map<string, string>();
    for (const email of Object.keys(expected)) ids.set(email, await stage(ingo, email));
    // bounce and idle wait for the TTL: let the others finish, then jump 31 virtual days.
    await untilTopics(receiver, ids.get('a+return@example.com')!, 6);
    await untilTopics(receiver, ids.get('a+check@example.com')!, 6);
    await control.advanceClock(31 * 86_400);
    for (const [email, topics] of Object.entries(expected)) {
      expect(await untilTopics(receiver, ids.get(email)!, topics.length), email).toEqual(topics);
    }
    expect(receiver.rejected).toBe(0);

    const tokenization = receiver.received.find(
      (r) => r.event.notificationId === ids.get('a+paypal@example.com') && r.event.topic === C.tokenizationSuccess,
    )!;
    const raw = JSON.parse(tokenization.body) as {
      metadata: Record<string, unknown>;
      data: Record<string, Record<string, unknown>>;
    };
    expect(raw.data.event!.account_type).toBe('PD');
    expect(raw.data.event!.status).toBe('100');
    expect(raw.data.ancillary!.notification_id).toBe(ids.get('a+paypal@example.com'));
    expect(typeof raw.metadata.timestamp).toBe('number');
    expect(tokenization.headers['content-type']).toBe('application/json');

    const success = receiver.received.find(
      (r) => r.event.notificationId === ids.get('happy@example.com') && r.event.topic === C.paymentSuccess,
    )!;
    expect(JSON.parse(success.body).metadata.version).toBe('3');
    expect(JSON.parse(success.body).data.event.status).toBe('1125');
    const allIds = receiver.received.map((r) => r.event.id);
    expect(new Set(allIds).size).toBe(allIds.length);
    // Every payload carries Ingo's type quirks and the version, code and message of its own topic.
    for (const { body } of receiver.received) {
      const { metadata, data } = JSON.parse(body) as {
        metadata: { topic: KnownTopic; version: unknown; topic_description: unknown };
        data: { ancillary: { notification_id: unknown }; event: { status: unknown; client_message: unknown } };
      };
      const info = TOPIC_INFO[metadata.topic];
      expect([metadata.topic, metadata.version, metadata.topic_description]).toEqual([
        metadata.topic,
        info.version,
        info.description,
      ]);
      expect([metadata.topic, data.event.status, data.event.client_message]).toEqual([
        metadata.topic,
        String(info.statusCode),
        info.clientMessage,
      ]);
      expect(typeof data.ancillary.notification_id).toBe('string');
    }
  });

  it('quick-start dialect names the five key steps', async () => {
    const { receiver, ingo } = await setup({ topics: 'quickstart', deliveryConcurrency: 1 });
    const id = await stage(ingo);
    expect(await untilTopics(receiver, id, 6)).toEqual([
      Q.notificationSent,
      C.recipientNotificationReceived,
      Q.authenticationComplete,
      Q.tokenizationComplete,
      Q.paymentApproved,
      Q.paymentFunded,
    ]);
  });

  it('signs with the configured scheme (HMAC-SHA256, hex) and secret', async () => {
    const scheme = { algorithm: 'sha256', encoding: 'hex' } as const;
    const { receiver, ingo } = await setup(
      { webhookSecret: 'whsec-test', webhookAlgorithm: 'sha256', webhookEncoding: 'hex', speed: 0 },
      ['whsec-test', scheme],
    );
    const id = await stage(ingo);
    const [first] = await untilTopics(receiver, id, 1);
    expect(first).toBe(C.recipientNotificationSent);
    expect(receiver.received[0]!.headers['x-ingo-signature']).toMatch(/^[0-9a-f]{64}$/);

    const strict = await startReceiver('whsec-test');
    open.push(strict);
    const other = await setup({
      webhookSecret: 'whsec-test',
      webhookAlgorithm: 'sha256',
      webhookEncoding: 'hex',
      speed: 0,
      webhookUrl: strict.url,
    });
    await stage(other.ingo);
    await waitFor(() => strict.rejected > 0, { what: 'a default-scheme receiver to reject sha256/hex' });
  });
});

describe('retries', () => {
  it('retries a 500 on schedule with the same metadata.id until the receiver recovers', async () => {
    const { receiver, ingo, control } = await setup({ speed: 0 });
    receiver.behave(({ count }) => (count <= 2 ? 500 : 200));
    const id = await stage(ingo);
    await untilTopics(receiver, id, 1);
    expect(receiver.attempts.map((a) => a.answer)).toEqual([500, 500, 200]);
    const eventIds = new Set(receiver.attempts.map((a) => a.id));
    expect(eventIds.size).toBe(1);

    const log = await logWhen(control, { notification_id: id }, (l) => l.deliveries[0]?.status === 'delivered');
    const [delivery] = log.deliveries;
    expect(delivery!.event_id).toBe([...eventIds][0]);
    const attempts = delivery!.attempt_log as {
      attempt: number;
      http_status: number;
      outcome: string;
      started_at: string;
      next_retry_at: string | null;
      latency_ms: number;
    }[];
    expect(attempts.map((a) => [a.attempt, a.http_status, a.outcome])).toEqual([
      [1, 500, 'failed'],
      [2, 500, 'failed'],
      [3, 200, 'delivered'],
    ]);
    // Never earlier than the schedule minus its 20 % jitter.
    const gap1 = Date.parse(attempts[1]!.started_at) - Date.parse(attempts[0]!.started_at);
    const gap2 = Date.parse(attempts[2]!.started_at) - Date.parse(attempts[1]!.started_at);
    expect(gap1).toBeGreaterThanOrEqual(32 - 1);
    expect(gap2).toBeGreaterThanOrEqual(64 - 1);
    expect(attempts[0]!.next_retry_at).not.toBeNull();
    expect(attempts[2]!.next_retry_at).toBeNull();
  });

  it('treats a receiver that hangs past the timeout as a failure and retries', async () => {
    const { receiver, ingo, control } = await setup({ speed: 0, webhookTimeoutMs: 150 });
    receiver.behave(({ count }) => (count === 1 ? 'hang' : 204));
    const id = await stage(ingo);
    await untilTopics(receiver, id, 1);
    expect(receiver.attempts.map((a) => a.answer)).toEqual(['hang', 204]);
    expect(receiver.attempts[0]!.id).toBe(receiver.attempts[1]!.id);
    const log = await logWhen(control, { notification_id: id }, (l) => l.deliveries[0]?.status === 'delivered');
    const first = log.deliveries[0]!.attempt_log[0] as {
      error: string;
      http_status: number | null;
      latency_ms: number;
    };
    expect(first.error).toMatch(/^timeout/);
    expect(first.http_status).toBeNull();
    expect(first.latency_ms).toBeGreaterThanOrEqual(150 - 1);
  });

  it('marks an event exhausted after the last attempt; redeliver sends it again with the same id', async () => {
    const { receiver, ingo, control } = await setup({ speed: 0, retrySchedule: [10, 10] });
    receiver.behave(() => 503);
    const id = await stage(ingo);
    const exhausted = await waitFor(
      async () => {
        const log = (await control.deliveries({ notification_id: id, status: 'exhausted' })) as Deliveries;
        return log.deliveries[0];
      },
      { what: 'exhaustion' },
    );
    expect(exhausted.attempt_log.map((a) => a.outcome)).toEqual(['failed', 'failed', 'exhausted']);
    expect(receiver.hits).toBe(3);

    receiver.behave(() => 200);
    const redelivered = await control.redeliver(exhausted.event_id);
    expect(redelivered).toMatchObject({ event_id: exhausted.event_id, status: 'pending' });
    await untilTopics(receiver, id, 1);
    expect(receiver.received[0]!.event.id).toBe(exhausted.event_id);
    const after = await logWhen(
      control,
      { event_id: exhausted.event_id },
      (l) => l.deliveries[0]?.status === 'delivered',
    );
    expect(after.deliveries[0]!.attempt_log.at(-1)).toMatchObject({ attempt: 4, outcome: 'delivered' });
  });
});

describe('late webhook URL', () => {
  it('starts recording only, then delivers what is emitted after the URL is set (control API or handle)', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const sandbox = await startSandbox({ port: 0, db: ':memory:', logLevel: 'silent', speed: 0 });
    open.push(sandbox);
    const ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
    const control = new SandboxControlClient({ baseUrl: sandbox.url, ...DEV });
    const before = await stage(ingo);

    expect((await control.call('PUT', '/_sandbox/webhook', { url: 'not a url' })).httpStatus).toBe(400);
    expect(await control.setWebhookUrl(receiver.url)).toMatchObject({ url: receiver.url, algorithm: 'sha512' });
    const after = await stage(ingo);
    await untilTopics(receiver, after, 1);
    expect(receiver.topicsOf(before)).toEqual([]);

    sandbox.setWebhookUrl(null);
    const unsent = await stage(ingo);
    expect(() => sandbox.setWebhookUrl('ftp://example.com')).toThrow(/http\(s\) URL/);
    sandbox.setWebhookUrl(receiver.url);
    await control.act(unsent, 'open');
    await untilTopics(receiver, unsent, 1);
    expect(receiver.topicsOf(unsent)).toEqual([C.recipientNotificationReceived]);
    expect((await control.call('GET', '/_sandbox/webhook')).body).toEqual({
      url: receiver.url,
      algorithm: 'sha512',
      encoding: 'base64',
    });
  });
});

describe('delivery under pressure', () => {
  it('bounds concurrent deliveries per endpoint', async () => {
    const { receiver, ingo } = await setup({ speed: 0, deliveryConcurrency: 2, webhookTimeoutMs: 5_000 });
    receiver.behave(() => 'hang');
    for (let i = 0; i < 6; i++) await stage(ingo);
    await waitFor(() => receiver.hits === 2, { what: 'two attempts in flight' });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.hits).toBe(2);
  });

  it('--duplicate-rate 1 delivers every event twice with the same metadata.id', async () => {
    const { receiver, ingo, control } = await setup({ speed: 0, duplicateRate: 1 });
    const id = await stage(ingo);
    await waitFor(() => receiver.received.length === 2, { what: 'the duplicate' });
    expect(receiver.received[0]!.event.id).toBe(receiver.received[1]!.event.id);
    const log = await logWhen(control, { notification_id: id }, (l) => l.deliveries[0]?.attempt_log.length === 2);
    expect(log.deliveries[0]!.attempt_log.map((a) => a.outcome)).toEqual(['delivered', 'duplicate']);
  });

  it('--reorder shuffles events emitted close together, and still delivers all of them', async () => {
    const { receiver, ingo } = await setup({ speed: 0, reorderWindowMs: 400, deliveryConcurrency: 1 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await stage(ingo));
    await waitFor(() => receiver.received.length === 12, { what: 'all twelve events' });
    const arrival = receiver.received.map((r) => r.event.notificationId);
    expect([...arrival].sort()).toEqual([...ids].sort());
    expect(arrival).not.toEqual(ids);
  });
});
