// Managed Parties (v4) in the sandbox: POST /gateway/v4/notify (validation, idempotency, party ids),
// each party notified and authenticating on its own, approver decisions through the control API, the
// approval gate, the +decline and +slowapprove scenarios, and cancel through notifycancel.

import {
  CATALOG_TOPICS as C,
  IngoApiError,
  IngoClient,
  type LifecycleContext,
  managedCancelFields,
  partyRoleName,
  reduceEvents,
  ValidationError,
  validateManagedStageRequest,
} from '@notifykit/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { SandboxControlClient, type SandboxOptions, startSandbox } from '../src/index.js';
import { DEV } from './support/dev-credentials.js';
import { startReceiver } from './support/receiver.js';
import { signedPost } from './support/signed-requests.js';
import { CLIENT_PROVIDED_VALUE, managedStageBody } from './support/stage-body.js';
import { waitFor } from './support/wait-for.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  while (open.length > 0) await open.shift()!.close();
});

async function setup(options: SandboxOptions = {}) {
  const receiver = await startReceiver();
  open.push(receiver);
  const sandbox = await startSandbox({
    port: 0,
    db: ':memory:',
    logLevel: 'silent',
    speed: 0,
    webhookUrl: receiver.url,
    ...options,
  });
  open.push(sandbox);
  const ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
  const control = new SandboxControlClient({ baseUrl: sandbox.url, ...DEV });
  return { sandbox, receiver, ingo, control };
}

interface PartyView {
  party_id: string;
  role: number;
  role_name: string;
  client_provided_id: string;
  state: string;
  decision: string | null;
}
interface EventView {
  topic: string;
  payload: { data: { ancillary: { party_id?: string } } };
}

async function view(control: SandboxControlClient, id: number | string) {
  const v = await control.notification(id);
  return v as typeof v & {
    parties: PartyView[];
    events: EventView[];
    state: string;
    status: string;
    hold: string | null;
  };
}

const topicsWithParty = (events: EventView[]) => events.map((e) => [e.topic, e.payload.data.ancillary.party_id]);

describe('POST /gateway/v4/notify', () => {
  it('stages with a UUID party_id per party, notifies each party on its own, and replays 101 with the original parties', async () => {
    const { ingo, control } = await setup();
    const body = managedStageBody({ interested: true });
    const staged = await ingo.managed.stage(body);
    expect(staged).toMatchObject({ status: 100, idempotentReplay: false });
    expect(staged.parties.map((p) => [p.clientProvidedId, p.role])).toEqual([
      ['recipient', 0],
      ['approver-1', 1],
      ['approver-2', 1],
      ['watcher', 2],
    ]);
    for (const p of staged.parties) expect(p.partyId).toMatch(UUID);
    const again = await ingo.managed.stage(body);
    expect(again).toMatchObject({ status: 101, idempotentReplay: true, notificationId: staged.notificationId });
    expect(again.parties).toEqual(staged.parties);

    const v = await view(control, staged.notificationId);
    expect(topicsWithParty(v.events)).toEqual(staged.parties.map((p) => [C.partyNotificationSent, p.partyId]));
    expect(v.parties.map((p) => [p.role_name, p.state])).toEqual([
      ['recipient', 'notified'],
      ['approver', 'notified'],
      ['approver', 'notified'],
      ['interested', 'notified'],
    ]);
    expect(JSON.stringify(v)).not.toContain(CLIENT_PROVIDED_VALUE);
  });

  it('answers 601 for the same participant_unique_id1 with another amount', async () => {
    const { ingo } = await setup();
    const body = managedStageBody();
    await ingo.managed.stage(body);
    const other = managedStageBody({
      amount: 99,
      puid1: body.transaction.participant_unique_ids.participant_unique_id1,
    });
    await expect(ingo.managed.stage(other)).rejects.toMatchObject({ status: 601 });
    await expect(ingo.managed.stage(other)).rejects.toBeInstanceOf(IngoApiError);
  });

  it('refuses a bad body with 400 and status "600" in the v4 envelope, naming the rule, storing nothing', async () => {
    const { sandbox, control } = await setup();
    const body = validateManagedStageRequest({
      ...managedStageBody(),
      request: { participant_id: DEV.participantId, timestamp: 1_760_000_000 },
    }) as unknown as { transaction: { notify_type: number } };
    body.transaction.notify_type = 1;
    const refused = await signedPost(sandbox.url, '/gateway/v4/notify', body);
    expect(refused.status).toBe(400);
    expect(refused.json.response).toMatchObject({ status: '600' });
    expect((refused.json.response as { message: string }).message).toContain('transaction.notify_type');
    const list = await control.call<{ notifications: unknown[] }>('GET', '/_sandbox/notifications');
    expect(list.body.notifications).toEqual([]);
    // The SDK refuses the same before sending, with the same rule.
    const ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
    const error = await ingo.managed.stage(body as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]).toMatchObject({
      path: 'transaction.notify_type',
      rule: 'unsupported',
    });
  });
});

describe('approvers and the approval gate (control API)', () => {
  it('each approver opens, authenticates and approves on its own; approvals.complete opens the gate; payment only after it', async () => {
    const { ingo, control } = await setup();
    const staged = await ingo.managed.stage(managedStageBody());
    const id = staged.notificationId;
    const [recipient, a1, a2] = staged.parties.map((p) => p.partyId) as [string, string, string];
    const act = (action: string, extra: Record<string, string> = {}) =>
      control.call<{ error?: { message: string } }>('POST', `/_sandbox/notifications/${id}/actions`, {
        action,
        ...extra,
      });

    expect((await act('approve', { party_id: a1 })).body.error?.message).toBe(
      'the approver must open and authenticate before deciding',
    );
    expect((await act('approve', { party_id: recipient })).httpStatus).toBe(409);
    expect((await act('open', { party_id: '00000000-0000-4000-8000-000000000000' })).httpStatus).toBe(404);
    expect((await act('choose_payment', { party_id: a1, account_type: 'CA' })).httpStatus).toBe(409);

    // The recipient completes first: the payment is suspended, and funding waits.
    for (const action of ['open', 'authenticate']) await control.act(id, action);
    await control.act(id, 'choose_payment', { account_type: 'CA' });
    let v = await view(control, id);
    expect(v).toMatchObject({ state: 'claimed', hold: 'approvals' });
    expect(v.events.at(-1)!.topic).toBe(C.approvalsPaymentSuspended);
    const fund = await act('fund');
    expect(fund.httpStatus).toBe(409);
    expect(fund.body.error?.message).toBe('funding waits for the approval gate (0 of 2 approvers approved)');

    for (const party of [a1, a2]) {
      for (const action of ['open', 'authenticate', 'approve']) await control.act(id, action, { party_id: party });
    }
    v = await view(control, id);
    expect(v).toMatchObject({ state: 'approved', hold: null });
    expect(v.parties.map((p) => [p.state, p.decision])).toEqual([
      ['approved', null],
      ['approved', 'approved'],
      ['approved', 'approved'],
    ]);
    await control.act(id, 'fund');
    v = await view(control, id);
    expect(topicsWithParty(v.events.slice(3))).toEqual([
      [C.partyNotificationReceived, recipient],
      [C.partyDynamicValidationSuccess, recipient],
      [C.tokenizationSuccess, recipient],
      [C.approvalsPaymentSuspended, recipient],
      [C.partyNotificationReceived, a1],
      [C.partyDynamicValidationSuccess, a1],
      [C.approvalsDecisionApproved, a1],
      [C.partyNotificationReceived, a2],
      [C.partyDynamicValidationSuccess, a2],
      [C.approvalsDecisionApproved, a2],
      [C.approvalsComplete, a2],
      [C.paymentSuccess, recipient],
    ]);
    // Decided approvers cannot decide again; a decision after the payment is refused.
    expect((await act('decline', { party_id: a1 })).httpStatus).toBe(409);
  });

  it('a decline terminates at once, without approvals.complete; interested parties cannot act', async () => {
    const { ingo, control } = await setup();
    const staged = await ingo.managed.stage(managedStageBody({ interested: true }));
    const id = staged.notificationId;
    const [, a1, , watcher] = staged.parties.map((p) => p.partyId) as [string, string, string, string];
    const byWatcher = await control.call('POST', `/_sandbox/notifications/${id}/actions`, {
      action: 'open',
      party_id: watcher,
    });
    expect(byWatcher.httpStatus).toBe(409);
    expect(
      (await control.call('POST', `/_sandbox/notifications/${id}/actions`, { action: 'decline' })).httpStatus,
    ).toBe(409);
    for (const action of ['open', 'authenticate', 'decline']) await control.act(id, action, { party_id: a1 });
    const v = await view(control, id);
    expect(v.status).toBe('failed');
    expect(v.parties.find((p) => p.party_id === a1)).toMatchObject({ state: 'declined', decision: 'declined' });
    expect(topicsWithParty(v.events.slice(-2))).toEqual([
      [C.approvalsDecisionDeclined, a1],
      [C.paymentTerminated, staged.parties[0]!.partyId],
    ]);
    expect(v.events.map((e) => e.topic)).not.toContain(C.approvalsComplete);
  });

  it('a v4 payout cancels through notifycancel before it is claimed', async () => {
    const { ingo, control } = await setup();
    const body = managedStageBody();
    const staged = await ingo.managed.stage(body);
    const full = validateManagedStageRequest({ ...body, request: { participant_id: DEV.participantId, timestamp: 1 } });
    const canceled = await ingo.notify.cancel(managedCancelFields(full, staged.tracerId));
    expect(canceled).toMatchObject({ status: 100, notificationId: staged.notificationId });
    expect((await view(control, staged.notificationId)).status).toBe('canceled');
  });
});

describe('scenarios at --speed > 0, without control calls', () => {
  async function runToEnd(email: string) {
    const { ingo, control, receiver } = await setup({ speed: 200 });
    const staged = await ingo.managed.stage(managedStageBody({ email }));
    const end = await waitFor(
      async () => {
        const v = await view(control, staged.notificationId);
        return ['funded', 'failed'].includes(v.status) && v;
      },
      { what: `${email} to end` },
    );
    // Every webhook arrives, and folding them with the party roles gives the sandbox's own status.
    await waitFor(() => receiver.topicsOf(staged.notificationId).length >= end.events.length, { what: 'webhooks' });
    const context: LifecycleContext = {
      parties: staged.parties.map((p) => ({ partyId: p.partyId, role: partyRoleName(p.role) })),
    };
    const state = reduceEvents(
      receiver.received.filter((r) => r.event.notificationId === String(staged.notificationId)).map((r) => r.event),
      context,
    );
    return { staged, end, state };
  }

  it('+slowapprove: the recipient completes first, pmt-suspended, the approvers approve, complete, then funded', async () => {
    const { staged, end, state } = await runToEnd('alex+slowapprove@example.com');
    const topics = end.events.map((e) => e.topic);
    expect(end.status).toBe('funded');
    expect(topics.indexOf(C.approvalsPaymentSuspended)).toBeLessThan(topics.indexOf(C.approvalsDecisionApproved));
    expect(topics.indexOf(C.approvalsComplete)).toBeLessThan(topics.indexOf(C.paymentSuccess));
    expect(topics.filter((t) => t === C.approvalsDecisionApproved)).toHaveLength(2);
    expect(state.status).toBe('funded');
    expect(Object.values(state.parties).map((p) => p.decision)).toEqual([undefined, 'approved', 'approved']);
    expect(state.parties[staged.parties[0]!.partyId]).toMatchObject({ role: 'recipient', authenticated: true });
  });

  it('+decline: the first approver declines, terminated at once', async () => {
    const { staged, end, state } = await runToEnd('alex+decline@example.com');
    expect(end.status).toBe('failed');
    const topics = end.events.map((e) => e.topic);
    expect(topics).not.toContain(C.approvalsComplete);
    expect(topics.slice(-2)).toEqual([C.approvalsDecisionDeclined, C.paymentTerminated]);
    expect(state.status).toBe('failed');
    expect(state.attention.approver_declined?.partyId).toBe(staged.parties[1]!.partyId);
  });

  it('default: approvers first, then the recipient; the payment never precedes approvals.complete', async () => {
    const { end, state } = await runToEnd('alex@example.com');
    const topics = end.events.map((e) => e.topic);
    expect(end.status).toBe('funded');
    expect(topics).not.toContain(C.approvalsPaymentSuspended);
    expect(topics.indexOf(C.approvalsComplete)).toBeLessThan(topics.indexOf(C.paymentSuccess));
    expect(state.status).toBe('funded');
  });
});
