import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { freePort, startLocalStack } from './support/local-stack.js';
import { stageBody } from './support/stage-body.js';

// Our view can lag Ingo's (webhooks not delivered yet): the local check lets the cancel through, Ingo
// refuses it, and the refusal is answered with Ingo's code and recorded on the timeline.

/** The real sandbox and server; webhooks go nowhere, so the server learns only through its own calls. */
async function startSandboxAndServer() {
  return startLocalStack({
    databaseUrl: 'sqlite::memory:',
    sandbox: { webhookUrl: `http://127.0.0.1:${await freePort()}/webhooks/ingo`, speed: 0 },
  });
}

describe('cancel refused by Ingo', () => {
  it('409 cancel_refused_by_ingo with the 78x code, recorded as cancel_refused, status unchanged', async () => {
    const { server, control, close } = await startSandboxAndServer();
    try {
      const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
      expect(d.status).toBe('staged');
      await control.act(d.notification_id, 'open');
      await control.act(d.notification_id, 'authenticate');
      await control.act(d.notification_id, 'choose_payment', { account_type: 'CA' });
      expect((await control.notification(d.notification_id)).status).toBe('claimed');

      const response = await server.api(`/api/v1/disbursements/${d.id}/cancel`, { method: 'POST' });
      expect(response.status).toBe(409);
      const error = (await json(response)).error;
      expect(error.code).toBe('cancel_refused_by_ingo');
      expect(String(error.details.ingo_status)).toMatch(/^78\d$/);
      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      expect(detail.status).toBe('staged');
      expect(detail.timeline.at(-1)).toMatchObject({ kind: 'cancel_refused', status_after: 'staged' });
      expect(detail.timeline.at(-1).detail.ingo_status).toBe(error.details.ingo_status);
      // Our view still allows a cancel (Ingo's webhooks have not told us it was claimed); the refusal shows.
      expect(detail.cancel).toMatchObject({ allowed: true, reason: null, outcome: 'refused' });
      expect(detail.cancel.requested_at).toBe(detail.timeline.at(-1).at);
    } finally {
      await close();
    }
  });
});

describe('cancel accepted by Ingo but not recorded locally', () => {
  it('500 cancel_not_recorded (not "nothing changed"); repeating the call records it', async () => {
    const { server, control, close } = await startSandboxAndServer();
    const { db } = server.server.database;
    try {
      const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
      expect(d.status).toBe('staged');
      // Injected failure: the local transaction that records the cancel aborts.
      await sql`create trigger refuse_cancel_record before update of ingo_status on disbursements
        begin select raise(abort, 'injected failure'); end`.execute(db);

      const response = await server.api(`/api/v1/disbursements/${d.id}/cancel`, { method: 'POST' });
      expect(response.status).toBe(500);
      const error = (await json(response)).error;
      expect(error.code).toBe('cancel_not_recorded');
      expect(error.message).toMatch(/Ingo accepted the cancel/);
      expect(error.message).not.toMatch(/nothing changed/);
      expect((await control.notification(d.notification_id)).status).toBe('canceled');
      expect((await json(server.api(`/api/v1/disbursements/${d.id}`))).status).toBe('staged');
      expect(server.logs.some((line) => line.includes('cancel accepted by Ingo but not recorded'))).toBe(true);

      await sql`drop trigger refuse_cancel_record`.execute(db);
      const retried = await server.api(`/api/v1/disbursements/${d.id}/cancel`, { method: 'POST' });
      expect(retried.status).toBe(200);
      expect((await json(retried)).status).toBe('canceled');
    } finally {
      await close();
    }
  });
});
