// The ancillary check API (docs/ingo-contract.md §4.1) against the SDK's client and raw signed requests: void and
// stop of an issued check, their webhooks, the status_code answers, idempotent repeats, and refusals
// that change nothing.

import { IngoClient, IngoStateError, ValidationError } from '@notifykit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxControlClient, type SandboxHandle, startSandbox } from '../src/index.js';
import { DEV, DEV_OTAC } from './support/dev-credentials.js';
import { signedPost } from './support/signed-requests.js';
import { stageBody } from './support/stage-body.js';

let sandbox: SandboxHandle;
let ingo: IngoClient;
let control: SandboxControlClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, db: ':memory:', logLevel: 'silent', speed: 0 });
  ingo = new IngoClient({ ...DEV, baseUrl: sandbox.url, maxRetries: 0 });
  control = new SandboxControlClient({ baseUrl: sandbox.url, ...DEV });
});

afterAll(async () => {
  await sandbox?.close();
});

interface Staged {
  notificationId: string;
  locator: { participant_unique_id1: string; tracer_id: string };
}

/** A disbursement moved by the control API up to `upTo`: a chosen check, an issued one, or none. */
async function staged(upTo: 'notified' | 'check_chosen' | 'check_issued' | 'claimed'): Promise<Staged> {
  const body = stageBody();
  const { notificationId, tracerId } = await ingo.notify.stage(body);
  if (upTo !== 'notified') {
    await control.act(notificationId, 'open');
    await control.act(notificationId, 'authenticate');
    await control.act(notificationId, 'choose_payment', { account_type: upTo === 'claimed' ? 'CA' : 'CK' });
    if (upTo === 'check_issued') await control.act(notificationId, 'approve');
  }
  return { notificationId, locator: { participant_unique_id1: body.participant_unique_id1, tracer_id: tracerId } };
}

async function view(notificationId: string) {
  const v = await control.notification(notificationId);
  const events = v.events as {
    topic: string;
    payload: { data: { ancillary: object; event: Record<string, unknown> } };
  }[];
  return { state: v.state as string, status: v.status as string, events };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('POST /gateway/checkcancel (void)', () => {
  it('voids an issued check: status_code 100, …check.canceled with the reason, then the termination', async () => {
    const { notificationId, locator } = await staged('check_issued');
    const before = (await view(notificationId)).events.length;
    const result = await ingo.checks.cancel({ ...locator, reason_code: 74 });
    expect(result).toMatchObject({ status: 100, clientMessage: 'Check Canceled', notificationId, reasonCode: '74' });
    expect(result.raw).not.toHaveProperty('status');
    expect((result.raw as { status_code: number }).status_code).toBe(100);
    const issued = (await view(notificationId)).events.find((e) => e.topic.endsWith('check.issued'))!;
    const after = await view(notificationId);
    expect(after.status).toBe('failed');
    const emitted = after.events.slice(before);
    expect(emitted.map((e) => e.topic)).toEqual([
      'transaction.recipient.payment.status.check.canceled',
      'transaction.recipient.payment.status.terminated',
    ]);
    expect(emitted[0]!.payload.data.event).toMatchObject({ reason_code: '74', check_number: result.checkNumber });
    expect(emitted[0]!.payload.data.event.check_number).toBe(issued.payload.data.event.check_number);
    expect(emitted[1]!.payload.data.event).toMatchObject({
      status: '1113',
      client_message: 'Disbursement / Payment has been terminated',
    });
  });

  it('answers the same void again with 101 and the original data, and nothing new is emitted', async () => {
    const { notificationId, locator } = await staged('check_issued');
    const first = await ingo.checks.cancel({ ...locator, reason_code: 75 });
    const events = (await view(notificationId)).events.length;
    const again = await ingo.checks.cancel({ ...locator, reason_code: 75 });
    expect(again).toMatchObject({ status: 101, idempotentReplay: true });
    expect((again.raw as { data: unknown }).data).toEqual((first.raw as { data: unknown }).data);
    expect((await view(notificationId)).events).toHaveLength(events);
    // Stopping a voided check is refused: the disbursement is terminal.
    const stop = await refusal(ingo.checks.stop({ ...locator, reason_code: 77 }));
    expect(stop).toBeInstanceOf(IngoStateError);
    expect(stop).toMatchObject({ status: 781 });
  });

  it('refuses without an issued check (784) or once terminal (781), changing nothing', async () => {
    for (const [upTo, status] of [
      ['notified', 784],
      ['check_chosen', 784],
      ['claimed', 784],
    ] as const) {
      const { notificationId, locator } = await staged(upTo);
      const before = await view(notificationId);
      const error = await refusal(ingo.checks.cancel({ ...locator, reason_code: 75 }));
      expect(error).toBeInstanceOf(IngoStateError);
      expect([upTo, (error as IngoStateError).status]).toEqual([upTo, status]);
      expect(await view(notificationId)).toEqual(before);
    }
    const { notificationId, locator } = await staged('check_issued');
    await control.act(notificationId, 'fund');
    const paid = await refusal(ingo.checks.cancel({ ...locator, reason_code: 75 }));
    expect(paid).toMatchObject({ status: 781 });
    expect((await view(notificationId)).status).toBe('funded');
  });

  it('answers 782 when nothing matches and 783 when the check number differs', async () => {
    const { notificationId, locator } = await staged('check_issued');
    const other = await refusal(ingo.checks.cancel({ ...locator, tracer_id: 'trc-other', reason_code: 75 }));
    expect(other).toMatchObject({ status: 782 });
    const elsewhere = await refusal(
      ingo.checks.cancel({ ...locator, notification_id: Number(notificationId) + 1000, reason_code: 75 }),
    );
    expect(elsewhere).toMatchObject({ status: 782 });
    const wrongCheck = await refusal(ingo.checks.cancel({ ...locator, check_number: '0000000001', reason_code: 75 }));
    expect(wrongCheck).toMatchObject({ status: 783 });
    // Another participant cannot reach it either.
    const otac = new IngoClient({ ...DEV_OTAC, baseUrl: sandbox.url, maxRetries: 0 });
    expect(await refusal(otac.checks.cancel({ ...locator, reason_code: 75 }))).toMatchObject({ status: 782 });
    expect((await view(notificationId)).state).toBe('check_issued');
  });
});

describe('POST /gateway/checkstop (stop payment)', () => {
  it('stops an issued check: …check.stopped with the reason, then the termination', async () => {
    const { notificationId, locator } = await staged('check_issued');
    const before = (await view(notificationId)).events.length;
    const result = await ingo.checks.stop({ ...locator, reason_code: 78 });
    expect(result).toMatchObject({ status: 100, clientMessage: 'Check Stopped', reasonCode: '78' });
    const emitted = (await view(notificationId)).events.slice(before);
    expect(emitted.map((e) => e.topic)).toEqual([
      'transaction.recipient.payment.status.check.stopped',
      'transaction.recipient.payment.status.terminated',
    ]);
    expect(emitted[0]!.payload.data.event).toMatchObject({ reason_code: '78', check_number: result.checkNumber });
  });
});

describe('request checks', () => {
  it('validates the body with 600 in status_code, naming the field; nothing changes', async () => {
    const { notificationId, locator } = await staged('check_issued');
    for (const [path, reason] of [
      ['/gateway/checkcancel', 77],
      ['/gateway/checkstop', 74],
      ['/gateway/checkcancel', 'seventy-five'],
    ] as const) {
      const response = await signedPost(sandbox.url, path, {
        participant_id: DEV.participantId,
        ...locator,
        reason_code: reason,
      });
      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({ status_code: 600 });
      expect(response.json).not.toHaveProperty('status');
      expect(String(response.json.client_message)).toMatch(/reason_code/);
    }
    const missing = await signedPost(sandbox.url, '/gateway/checkstop', { participant_id: DEV.participantId });
    expect(missing.json).toMatchObject({ status_code: 600 });
    const otherParticipant = await signedPost(sandbox.url, '/gateway/checkcancel', {
      participant_id: DEV_OTAC.participantId,
      ...locator,
      reason_code: 75,
    });
    expect(otherParticipant).toMatchObject({ status: 400, json: { status_code: 401 } });
    expect((await view(notificationId)).state).toBe('check_issued');
    // The SDK refuses the same before sending anything.
    expect(await refusal(ingo.checks.cancel({ ...locator, reason_code: 77 }))).toBeInstanceOf(ValidationError);
  });

  it('requires a valid signature (401, the §1.1 message)', async () => {
    const { locator } = await staged('check_issued');
    const unsigned = await fetch(`${sandbox.url}/gateway/checkcancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ participant_id: DEV.participantId, ...locator, reason_code: 75 }),
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ message: 'Unauthorized' });
    const wrong = new IngoClient({ ...DEV, secret: 'not-the-secret', baseUrl: sandbox.url, maxRetries: 0 });
    expect(await refusal(wrong.checks.stop({ ...locator, reason_code: 77 }))).toMatchObject({
      code: 'ERR_AUTHENTICATION',
    });
  });
});
