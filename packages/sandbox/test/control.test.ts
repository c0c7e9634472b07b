// The /_sandbox control API: signed like the gateway, scoped to the signer's participant, actions with
// 409 reasons, the virtual clock, inspection, the delivery log, redelivery and reset.

import { Writable } from 'node:stream';
import { IngoClient } from '@notifykit/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxControlClient, type SandboxOptions, startSandbox } from '../src/index.js';
import { DEV, DEV_OTAC } from './support/dev-credentials.js';
import { CLIENT_PROVIDED_VALUE, stageBody } from './support/stage-body.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length > 0) await open.shift()!.close();
});

async function setup(options: SandboxOptions = {}) {
  const sandbox = await startSandbox({ port: 0, db: ':memory:', logLevel: 'silent', speed: 0, ...options });
  open.push(sandbox);
  const ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
  const control = new SandboxControlClient({ baseUrl: sandbox.url, ...DEV });
  const stage = async (email = 'alex@example.com') =>
    (await ingo.notify.stage(stageBody({}, { email }))).notificationId;
  return { sandbox, ingo, control, stage };
}

describe('authentication and scope', () => {
  it('refuses unsigned and badly signed calls with the §1.1 401s', async () => {
    const { sandbox } = await setup();
    const unsigned = await fetch(`${sandbox.url}/_sandbox/clock`);
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('www-authenticate')).toBe('hmac');
    expect(await unsigned.json()).toEqual({ message: 'Unauthorized' });
    const wrong = new SandboxControlClient({ baseUrl: sandbox.url, username: DEV.username, secret: 'nope' });
    const response = await wrong.call('GET', '/_sandbox/clock');
    expect(response).toEqual({ httpStatus: 401, body: { message: 'HMAC signature does not match' } });
  });

  it('shows a participant only its own disbursements', async () => {
    const { sandbox, stage } = await setup();
    const id = await stage();
    const other = new SandboxControlClient({ baseUrl: sandbox.url, ...DEV_OTAC });
    const response = await other.call('GET', `/_sandbox/notifications/${id}`);
    expect(response.httpStatus).toBe(404);
    expect((await other.call('POST', `/_sandbox/notifications/${id}/actions`, { action: 'open' })).httpStatus).toBe(
      404,
    );
    expect((await other.call<{ deliveries: unknown[] }>('GET', '/_sandbox/deliveries')).body.deliveries).toEqual([]);
  });
});

describe('actions', () => {
  it('moves one step per action and lets the scenario continue from there', async () => {
    const { control, stage } = await setup();
    const id = await stage();
    const opened = (await control.act(id, 'open')) as {
      notification: Record<string, unknown>;
      events: { topic: string }[];
    };
    expect(opened.events.map((e) => e.topic)).toEqual(['transaction.recipient.notification.status.received']);
    expect(opened.notification.state).toBe('viewed');
    expect(opened.notification.next_action).toBe('authenticate');
  });

  it('answers 409 with the reason when the state forbids the action, and changes nothing', async () => {
    const { control, stage } = await setup();
    const id = await stage();
    const refused = await control.call('POST', `/_sandbox/notifications/${id}/actions`, { action: 'fund' });
    expect(refused.httpStatus).toBe(409);
    expect(refused.body).toMatchObject({
      error: { code: 'action_not_allowed', message: 'the recipient has not chosen a payment method yet' },
      state: 'notified',
    });
    const view = await control.notification(id);
    expect(view.state).toBe('notified');
    expect((view.events as unknown[]).length).toBe(1);

    const recipient = (view.parties as { party_id: string; role: number }[])[0]!;
    expect(recipient.role).toBe(0);
    for (const action of ['open', 'authenticate']) await control.act(id, action);
    await control.act(id, 'choose_payment', { account_type: 'AC' });
    const byRecipient = await control.call('POST', `/_sandbox/notifications/${id}/actions`, {
      action: 'approve',
      party_id: recipient.party_id,
    });
    expect(byRecipient.httpStatus).toBe(409);
    expect((byRecipient.body as { error: { message: string } }).error.message).toBe(
      'the recipient cannot approve a disbursement',
    );
  });

  it('rejects malformed action requests with 400 and unknown parties with 404', async () => {
    const { control, stage } = await setup();
    const id = await stage();
    const path = `/_sandbox/notifications/${id}/actions`;
    expect((await control.call('POST', path, { action: 'teleport' })).httpStatus).toBe(400);
    expect((await control.call('POST', path, { action: 'choose_payment' })).httpStatus).toBe(400);
    expect((await control.call('POST', path, { action: 'choose_payment', account_type: 'XX' })).httpStatus).toBe(400);
    expect((await control.call('POST', path, { action: 'open', party_id: 'no-such-party' })).httpStatus).toBe(404);
    expect((await control.call('POST', '/_sandbox/notifications/abc/actions', { action: 'open' })).httpStatus).toBe(
      404,
    );
    expect(
      (await control.call('POST', '/_sandbox/notifications/99999999/actions', { action: 'open' })).httpStatus,
    ).toBe(404);
    expect((await control.notification(id)).state).toBe('notified');
  });
});

describe('virtual clock', () => {
  it('with speed 0 nothing moves until the clock is advanced', async () => {
    const { control, stage } = await setup();
    const id = await stage();
    await new Promise((r) => setTimeout(r, 100));
    expect((await control.notification(id)).state).toBe('notified');
    const first = await control.advanceClock(1);
    expect(first.steps_run).toBe(1);
    expect((await control.notification(id)).state).toBe('viewed');
    await control.advanceClock(60);
    const view = await control.notification(id);
    expect(view.state).toBe('funded');
    expect(view.next_step_at).toBeNull();
  });

  it('expires an unclaimed disbursement at the TTL, not before', async () => {
    const { control, stage } = await setup({ ttlMs: 3 * 86_400_000 });
    const idle = await stage('a+idle@example.com');
    const bounced = await stage('a+bounce@example.com');
    await control.advanceClock(2 * 86_400);
    expect((await control.notification(idle)).state).toBe('notified');
    expect((await control.notification(bounced)).state).toBe('bounced');
    await control.advanceClock(86_400 + 1);
    for (const id of [idle, bounced]) {
      const view = await control.notification(id);
      expect(view.status).toBe('expired');
      expect((view.events as { topic: string }[]).at(-1)!.topic).toBe(
        'transaction.recipient.disbursement.status.expired',
      );
    }
  });

  it('reports the clock and refuses nonsense advances', async () => {
    const { control } = await setup();
    const clock = await control.call<{ now_ms: number; speed: number }>('GET', '/_sandbox/clock');
    expect(clock.body.speed).toBe(0);
    const advanced = await control.advanceClock(3600);
    expect(advanced.now_ms).toBeGreaterThanOrEqual(clock.body.now_ms + 3_600_000);
    for (const seconds of [0, -5, 'ten', 1e12]) {
      expect((await control.call('POST', '/_sandbox/clock/advance', { seconds })).httpStatus).toBe(400);
    }
  });
});

describe('inspection', () => {
  it('shows state, parties, scenario, events and the request without its secrets', async () => {
    const { control, stage } = await setup();
    const id = await stage('a+check@example.com');
    const view = await control.notification(id);
    expect(view).toMatchObject({
      notification_id: Number(id),
      api_version: 'v3',
      scenario: 'check',
      state: 'notified',
      status: 'notified',
      amount: '250.00',
      next_action: 'open',
    });
    const events = view.events as { id: string; topic: string; payload: { metadata: { id: string } } }[];
    expect(events).toHaveLength(1);
    expect(events[0]!.payload.metadata.id).toBe(events[0]!.id);
    const request = view.request as { authentication_records: { client_provided_value: string }[] };
    expect(request.authentication_records[0]!.client_provided_value).toBe('[REDACTED]');
    expect(JSON.stringify(view)).not.toContain(CLIENT_PROVIDED_VALUE);

    const list = await control.call<{ notifications: { notification_id: number }[] }>(
      'GET',
      `/_sandbox/notifications?participant_unique_id1=${encodeURIComponent(String(view.participant_unique_id1))}`,
    );
    expect(list.body.notifications.map((n) => n.notification_id)).toEqual([Number(id)]);
  });

  it('validates delivery-log filters', async () => {
    const { control } = await setup();
    expect((await control.call('GET', '/_sandbox/deliveries?status=lost')).httpStatus).toBe(400);
    expect((await control.call('GET', '/_sandbox/deliveries?notification_id=-1')).httpStatus).toBe(400);
    expect((await control.call('GET', '/_sandbox/deliveries?limit=0')).httpStatus).toBe(400);
    expect((await control.deliveries()).deliveries).toEqual([]);
  });

  it('cannot redeliver without a webhook URL, nor an unknown event', async () => {
    const { control, stage } = await setup();
    const id = await stage();
    const eventId = ((await control.notification(id)).events as { id: string }[])[0]!.id;
    const noUrl = await control.call('POST', `/_sandbox/deliveries/${eventId}/redeliver`);
    expect(noUrl.httpStatus).toBe(409);
    expect((await control.call('POST', '/_sandbox/deliveries/nope/redeliver')).httpStatus).toBe(404);
  });
});

describe('webhook URL', () => {
  it('logs a URL set through the control API without its password or query values', async () => {
    const lines: string[] = [];
    const logDestination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const { control } = await setup({ logLevel: 'info', logDestination });
    const url = 'http://receiver:planted-password@127.0.0.1:9/hook?token=planted-query-token';
    expect((await control.setWebhookUrl(url)).url).toBe(url);
    const changed = lines.filter((line) => line.includes('webhook URL changed'));
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain('127.0.0.1:9/hook');
    const all = lines.join('');
    expect(all).not.toContain('planted-password');
    expect(all).not.toContain('planted-query-token');
  });
});

describe('reset', () => {
  it('is refused unless started with --allow-reset', async () => {
    const { control, stage } = await setup();
    const id = await stage();
    const refused = await control.call('POST', '/_sandbox/reset');
    expect(refused.httpStatus).toBe(403);
    expect((await control.notification(id)).state).toBe('notified');
  });

  it('deletes everything but never reuses a notification id', async () => {
    const { control, stage } = await setup({ allowReset: true });
    const before = Number(await stage());
    expect(await control.reset()).toEqual({ reset: true });
    expect((await control.call('GET', `/_sandbox/notifications/${before}`)).httpStatus).toBe(404);
    expect(Number(await stage())).toBeGreaterThan(before);
  });
});

describe('query parameters', () => {
  it('a parameter given twice is a 400 naming it, on every listing (it was a 500)', async () => {
    const { control } = await setup();
    for (const path of [
      '/_sandbox/notifications?state=a&state=b',
      '/_sandbox/deliveries?status=pending&status=delivered',
    ]) {
      const answer = await control.call<{ error: { code: string; message: string } }>('GET', path);
      expect(answer.httpStatus, path).toBe(400);
      expect(answer.body.error.code).toBe('invalid_query');
      expect(answer.body.error.message).toMatch(/must be given once/);
    }
  });
});
