import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startSandbox } from '@notifykit/sandbox';
import { signWebhook } from '@notifykit/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { eventually, freePort } from './support/local-stack.js';
import { spawnServer } from './support/server-process.js';
import { stageBody } from './support/stage-body.js';
import { tempDir } from './support/test-server.js';
import { webhookPayload } from './support/webhook-delivery.js';

// Unique values are planted in every secret and sensitive field, the server runs as a real process at
// trace level through successes and failures, and all of its output is searched for them.

const dir = tempDir('redaction');
afterAll(() => dir.remove());

describe('logs never contain secrets or sensitive fields', () => {
  it('plants unique values, exercises every path at trace level, finds none of them in stdout or stderr', async () => {
    const tag = randomBytes(6).toString('hex');
    const secrets = {
      ingoSecret: `ingo-secret-${tag}`,
      webhookSecret: `webhook-secret-${tag}`,
      apiToken: `api-token-${tag}-0123456789`,
      encryptionKey: randomBytes(32).toString('base64'),
      clientProvidedValue: `cpv${tag}`,
      notificationValue: `note${tag}`,
      email: `planted.${tag}@example.com`,
      wrongToken: `wrong-token-${tag}`,
    };
    const serverPort = await freePort();
    const sandbox = await startSandbox({
      port: 0,
      db: ':memory:',
      credentials: `planted:${secrets.ingoSecret}:12345`,
      webhookUrl: `http://127.0.0.1:${serverPort}/webhooks/ingo`,
      webhookSecret: secrets.webhookSecret,
      speed: 50,
      logLevel: 'silent',
    });
    const server = await spawnServer(['--port', String(serverPort)], {
      DATABASE_URL: `sqlite:${join(dir.path, 'r.db')}`,
      INGO_BASE_URL: sandbox.url,
      INGO_USERNAME: 'planted',
      INGO_SECRET: secrets.ingoSecret,
      INGO_PARTICIPANT_ID: '12345',
      INGO_WEBHOOK_SECRET: secrets.webhookSecret,
      NOTIFYKIT_API_TOKEN: secrets.apiToken,
      NOTIFYKIT_ENCRYPTION_KEY: secrets.encryptionKey,
      LOG_LEVEL: 'trace',
      NOTIFYKIT_OUTBOX_POLL_MS: '50',
      NOTIFYKIT_OUTBOX_BACKOFF_MS: '50',
    });
    const headers = { authorization: `Bearer ${secrets.apiToken}`, 'content-type': 'application/json' };
    const post = (path: string, payload: unknown, h: Record<string, string> = headers) =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: h, body: JSON.stringify(payload) });
    const responses: string[] = [];
    const keep = async (r: Response) => {
      const text = await r.text();
      responses.push(text);
      return text;
    };

    const body = {
      ...stageBody({ email: secrets.email, secretAnswer: secrets.clientProvidedValue }),
      notification_records: [{ field_label: 'Invoice', client_provided_value: secrets.notificationValue }],
    };
    try {
      // Success path: staged at the sandbox, webhooks come back signed with the planted secret.
      const created = JSON.parse(await keep(await post('/api/v1/disbursements', body)));
      await eventually(
        () => json(fetch(`${server.url}/api/v1/disbursements/${created.id}`, { headers })),
        (d) => d.status === 'funded',
      );
      // Validation failures carrying the planted values in the wrong places.
      await keep(await post('/api/v1/disbursements', { ...body, amount: secrets.clientProvidedValue }));
      await keep(
        await post('/api/v1/disbursements', {
          ...body,
          recipient: { ...body.recipient, email: `${secrets.clientProvidedValue}` },
        }),
      );
      // Wrong and right tokens in headers of refused requests.
      await keep(
        await post('/api/v1/disbursements', body, {
          authorization: `Bearer ${secrets.wrongToken}`,
          'content-type': 'application/json',
        }),
      );
      await keep(await fetch(`${server.url}/api/v1/nope?token=${secrets.wrongToken}`, { headers }));
      // Webhooks: forged, malformed, signed with a wrong secret that is itself a planted value.
      const hook = webhookPayload({
        topic: 'transaction.recipient.notification.status.sent',
        event: { note: secrets.clientProvidedValue },
      });
      await keep(
        await fetch(`${server.url}/webhooks/ingo`, {
          method: 'POST',
          headers: { 'x-ingo-signature': signWebhook(hook, secrets.wrongToken) },
          body: hook,
        }),
      );
      await keep(
        await fetch(`${server.url}/webhooks/ingo`, {
          method: 'POST',
          headers: { 'x-ingo-signature': signWebhook(`{${secrets.clientProvidedValue}`, secrets.webhookSecret) },
          body: `{${secrets.clientProvidedValue}`,
        }),
      );
      // Ingo goes away: stage calls fail and are retried by the worker, with error logs.
      await sandbox.close();
      await keep(
        await post(
          '/api/v1/disbursements',
          stageBody({ secretAnswer: secrets.clientProvidedValue, email: secrets.email }),
        ),
      );
      await new Promise((r) => setTimeout(r, 400));
      // Cancel attempt while Ingo is down (502 path) on the first, funded one → 409 locally instead.
      await keep(await post(`/api/v1/disbursements/${created.id}/cancel`, {}));
    } finally {
      await sandbox.close();
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const output = server.stdout.join('') + server.stderr.join('');
    expect(output.length).toBeGreaterThan(1000); // trace level really logged a lot
    expect(output).toContain('ingo request failed'); // the failure paths were logged
    for (const [name, value] of Object.entries(secrets)) {
      expect(output.includes(value), `${name} appears in the server's output`).toBe(false);
    }
    const answers = responses.join('\n');
    for (const name of [
      'ingoSecret',
      'webhookSecret',
      'apiToken',
      'encryptionKey',
      'clientProvidedValue',
      'notificationValue',
    ] as const) {
      expect(answers.includes(secrets[name]), `${name} appears in an HTTP response`).toBe(false);
    }
  });
});
