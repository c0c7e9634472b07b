// Every notifykit command, run as the real binary against a real sandbox process and a real server
// process: its output (human and --json), its exit code, its errors — and no secret in any of it.
import { createHmac } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitFor } from '../../sandbox/test/support/wait-for.js';
import { allOutput, expectOneErrorLine, jsonOf, runCli, startCli } from './support/cli-process.js';
import { type CliStack, startCliStack } from './support/cli-stack.js';

// Each run is a Node process start; on a busy machine a test of many runs takes minutes, not seconds.
vi.setConfig({ testTimeout: 240_000 });

let stack: CliStack;
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { ...stack.env, ...env });
const PAYOUT = [
  '--amount',
  '250.00',
  '--first-name',
  'Alex',
  '--last-name',
  'Rivera',
  '--email',
  'alex@example.com',
  '--mobile',
  '5125550100',
  '--auth',
  'Last 4 SSN:XXXX:6789',
];

async function detail(id: string) {
  return jsonOf(await cli(['get', id, '--json']));
}

beforeAll(async () => {
  stack = await startCliStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('help and usage', () => {
  const commands = [
    [],
    ['stage'],
    ['cancel'],
    ['get'],
    ['list'],
    ['stats'],
    ['events'],
    ['events', 'resend'],
    ['bulk', 'stage'],
    ['trigger'],
    ['sandbox'],
    ['sandbox', 'act'],
    ['sandbox', 'clock', 'advance'],
    ['sandbox', 'deliveries'],
    ['sandbox', 'redeliver'],
    ['listen'],
    ['sign'],
    ['verify-request'],
    ['verify-webhook'],
    ['login'],
    ['config'],
  ];
  it('every command has --help with examples, exit 0', async () => {
    for (const command of commands) {
      const result = await cli([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout, command.join(' ')).toContain('Examples:');
      expect(result.stdout).toContain(`$ notifykit ${command.join(' ')}`.trim());
    }
  });

  it('sandbox start --help shows the sandbox flags and examples', async () => {
    const result = await cli(['sandbox', 'start', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--webhook-url');
    expect(result.stdout).toContain('$ notifykit sandbox start');
  });

  it('an unknown flag or command is a usage error: exit 2, one line', async () => {
    const flag = await cli(['list', '--colour']);
    expect(flag.code).toBe(2);
    expectOneErrorLine(flag.stderr, /unknown option '--colour'/);
    const command = await cli(['lst']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'lst'/);
    const value = await cli(['list', '--limit', 'many']);
    expect(value.code).toBe(2);
    expectOneErrorLine(value.stderr, /--limit/);
  });

  it('a server that is down is a failure (exit 1) with a hint', async () => {
    const result = await cli(['list'], { NOTIFYKIT_SERVER_URL: 'http://127.0.0.1:9' });
    expect(result.code).toBe(1);
    expectOneErrorLine(
      result.stderr,
      /cannot reach the notifykit server at http:\/\/127\.0\.0\.1:9.*hint: is it running/,
    );
  });

  it('a wrong token is a failure that says so, without printing the token', async () => {
    const result = await cli(['stats'], { NOTIFYKIT_API_TOKEN: 'wrong-token-value' });
    expect(result.code).toBe(1);
    expectOneErrorLine(result.stderr, /refused the API token \(401\)/);
    expect(result.stderr).not.toContain('wrong-token-value');
  });
});

describe('payouts through the server', () => {
  let staged: Record<string, unknown>;

  it('stage from flags: --json shape, then get shows it funded with the step tracker and timeline', async () => {
    staged = jsonOf(await cli(['stage', ...PAYOUT, '--json']));
    expect(staged).toMatchObject({ via: 'server', status: expect.stringMatching(/staged|pending/), replayed: false });
    expect(staged.disbursement_id).toMatch(/^dsb_[0-9a-f]{28}$/);
    const id = String(staged.disbursement_id);
    await waitFor(async () => (await detail(id)).status === 'funded', { timeoutMs: 20_000, what: 'funded' });
    const human = await cli(['get', id]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('$250.00');
    expect(human.stdout).toContain('✓ staged → ✓ notified → ✓ viewed → ✓ authenticated → ✓ claimed → ✓ funded');
    expect(human.stdout).toMatch(/event\s+\w+ → \S*funded/);
    expect(human.stdout).not.toContain('\u001b['); // not a terminal: no colour
  });

  it('stage from a file, flags overriding; the same key again is an idempotent replay', async () => {
    const file = `${stack.dir}/payout.json`;
    writeFileSync(
      file,
      JSON.stringify({
        amount: '10.00',
        participant_unique_id1: 'cli-file-1',
        recipient: { business_name: 'Acme Roofing', email: 'ap@example.com', mobile: '5125550100' },
        authentication_records: [
          {
            field_label: 'Zip',
            field_order: 1,
            validation_type: 1,
            match_failure_type: 1,
            client_provided_value: '78701',
          },
        ],
      }),
    );
    const first = jsonOf(await cli(['stage', '--file', file, '--amount', '12.50', '--json']));
    expect(first).toMatchObject({ participant_unique_id1: 'cli-file-1', replayed: false });
    expect((first.disbursement as { amount: string }).amount).toBe('12.50');
    const again = jsonOf(await cli(['stage', '--file', file, '--amount', '12.50', '--json']));
    expect(again).toMatchObject({ disbursement_id: first.disbursement_id, replayed: true });
    const human = await cli(['stage', '--file', file, '--amount', '12.50']);
    expect(human.stdout).toContain('already staged with this participant_unique_id1');
  });

  it('an invalid payout is refused by the server with its reason: exit 1, one line', async () => {
    const result = await cli(['stage', '--amount', '5.00', '--email', 'x@example.com']);
    expect(result.code).toBe(1);
    expectOneErrorLine(result.stderr, /server answered 422 validation_failed: .*first_name/);
    const noAmount = await cli(['stage', '--first-name', 'A']);
    expect(noAmount.code).toBe(2);
    expectOneErrorLine(noAmount.stderr, /no amount/);
  });

  it('list: every filter reaches the API, --json is its page shape, a bad filter is the API 400', async () => {
    const all = jsonOf<{ data: { id: string; status: string }[]; next_cursor: null }>(await cli(['list', '--json']));
    expect(all.data.map((d) => d.id)).toContain(staged.disbursement_id);
    const funded = jsonOf<{ data: { status: string }[] }>(
      await cli([
        'list',
        '--status',
        'funded',
        '--amount-min',
        '200',
        '--amount-max',
        '300',
        '--created-from',
        '2020-01-01',
        '--created-to',
        '2999-01-01',
        '--updated-from',
        '2020-01-01',
        '--updated-to',
        '2999-01-01',
        '--search',
        'Alex',
        '--json',
      ]),
    );
    expect(funded.data.length).toBeGreaterThan(0);
    expect(funded.data.every((d) => d.status === 'funded')).toBe(true);
    const paged = jsonOf<{ data: unknown[]; next_cursor: string | null }>(
      await cli(['list', '--limit', '1', '--json']),
    );
    expect(paged.data).toHaveLength(1);
    expect(paged.next_cursor).not.toBeNull();
    const everything = jsonOf<{ data: unknown[] }>(await cli(['list', '--limit', '1', '--all', '--json']));
    expect(everything.data.length).toBe(all.data.length);
    const human = await cli(['list']);
    expect(human.stdout).toMatch(/^ID\s+STATUS\s+AMOUNT/);
    const bad = await cli(['list', '--created-from', 'yesterday']);
    expect(bad.code).toBe(1);
    expectOneErrorLine(bad.stderr, /created_from/);
  });

  it('stats: --json is the API shape; the table formats money', async () => {
    const stats = jsonOf<{ total: { count: number }; by_status: Record<string, unknown> }>(
      await cli(['stats', '--json']),
    );
    expect(stats.total.count).toBeGreaterThanOrEqual(2);
    expect(stats.by_status.funded).toBeDefined();
    const human = await cli(['stats']);
    expect(human.stdout).toMatch(/total\s+\d+\s+\$[\d,]+\.\d\d/);
  });

  it('trigger runs a scenario; cancel cancels an idle payout, twice is "already canceled"', async () => {
    const check = jsonOf(await cli(['trigger', 'check', '--json']));
    await waitFor(async () => (await detail(String(check.disbursement_id))).status === 'funded', {
      timeoutMs: 20_000,
      what: 'the check scenario to fund',
    });
    const idle = jsonOf(await cli(['trigger', 'idle', '--json']));
    const id = String(idle.disbursement_id);
    const canceled = jsonOf(await cli(['cancel', id, '--json']));
    expect(canceled.status).toBe('canceled');
    const again = await cli(['cancel', id]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already canceled');
    const unknown = await cli(['trigger', 'teleport']);
    expect(unknown.code).toBe(2);
    expectOneErrorLine(unknown.stderr, /unknown scenario "teleport".*happy/);
  });

  it('stage --direct goes to the sandbox with the SDK', async () => {
    const direct = jsonOf(
      await cli(['stage', ...PAYOUT, '--participant-unique-id1', 'cli-direct-1', '--direct', '--json']),
    );
    expect(direct).toMatchObject({
      via: 'direct',
      disbursement_id: null,
      status: 'staged',
      participant_unique_id1: 'cli-direct-1',
    });
    const seen = await stack.control.notification(String(direct.notification_id));
    expect(seen.participant_unique_id1).toBe('cli-direct-1');
  });
});

describe('events', () => {
  it('lists the inbox (--json page shape, filters), follows new events live, and resends through the sandbox', async () => {
    const page = jsonOf<{ data: { seq: number; metadata_id: string; topic: string }[] }>(
      await cli(['events', '--json']),
    );
    expect(page.data.length).toBeGreaterThan(0);
    const topic = page.data[0]!.topic;
    const filtered = jsonOf<{ data: { topic: string }[] }>(await cli(['events', '--topic', topic, '--json']));
    expect(filtered.data.every((e) => e.topic === topic)).toBe(true);

    const follow = startCli(['events', '--follow', '--json', '--limit', '1', '--interval', '200'], stack.env);
    try {
      const staged = jsonOf(await cli(['stage', ...PAYOUT, '--json']));
      const seen = await waitFor(
        () => {
          const lines = follow
            .stdout()
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l));
          return (
            lines.some((e) => e.disbursement_id === staged.disbursement_id && /funded|paid|success/.test(e.topic)) &&
            lines
          );
        },
        { timeoutMs: 20_000, what: 'events --follow to print the new payout events' },
      );
      const seqs = seen.map((e: { seq: number }) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // in order, none twice
      expect(new Set(seqs).size).toBe(seqs.length);
    } finally {
      follow.child.kill('SIGTERM');
      await follow.exited;
    }

    const eventId = page.data[0]!.metadata_id;
    const attempts = async () =>
      (await stack.control.deliveries({ event_id: eventId })).deliveries.reduce((n, d) => n + Number(d.attempts), 0);
    const before = await attempts();
    const resend = await cli(['events', 'resend', eventId]);
    expect(resend.code).toBe(0);
    expect(resend.stdout).toContain(`event ${eventId} queued`);
    // Delivered once more: the server counts it as a duplicate of an event it already has.
    await waitFor(async () => (await attempts()) > before, { what: 'the redelivery attempt' });
    const inbox = jsonOf<{ data: { metadata_id: string; duplicate_count: number }[] }>(
      await cli(['events', '--json', '--limit', '200']),
    );
    await waitFor(
      async () => {
        const page = jsonOf<{ data: { metadata_id: string; duplicate_count: number }[] }>(
          await cli(['events', '--json', '--limit', '200']),
        );
        return (page.data.find((e) => e.metadata_id === eventId)?.duplicate_count ?? 0) > 0;
      },
      { what: 'the server to see the duplicate' },
    );
    expect(inbox.data.some((e) => e.metadata_id === eventId)).toBe(true);
    const missing = await cli(['events', 'resend', 'no-such-event']);
    expect(missing.code).toBe(1);
    expectOneErrorLine(missing.stderr, /HTTP 404/);
  });
});

describe('sandbox', () => {
  it('act, clock advance, deliveries and redeliver drive a running sandbox', async () => {
    const idle = jsonOf(await cli(['trigger', 'idle', '--direct', '--json']));
    const n = String(idle.notification_id);
    const opened = jsonOf<{ notification: { status: string } }>(await cli(['sandbox', 'act', n, 'open', '--json']));
    expect(opened.notification.status).toBe('viewed');
    const human = await cli(['sandbox', 'act', n, 'authenticate']);
    expect(human.stdout).toContain(`notification ${n} is now authenticated`);
    const chosen = jsonOf<{ notification: { status: string } }>(
      await cli(['sandbox', 'act', n, 'choose_payment', '--account-type', 'CA', '--json']),
    );
    expect(['claimed', 'funded', 'approved']).toContain(chosen.notification.status);
    const refused = await cli(['sandbox', 'act', n, 'open']);
    expect(refused.code).toBe(1);
    expectOneErrorLine(refused.stderr, /HTTP 409/);

    const clock = jsonOf<{ now: string; steps_run: number }>(
      await cli(['sandbox', 'clock', 'advance', '60', '--json']),
    );
    expect(Date.parse(clock.now)).toBeGreaterThan(0);
    const badClock = await cli(['sandbox', 'clock', 'advance', 'soon']);
    expect(badClock.code).toBe(2);

    const deliveries = jsonOf<{ deliveries: { event_id: string; notification_id: number }[] }>(
      await cli(['sandbox', 'deliveries', '--notification-id', n, '--json']),
    );
    expect(deliveries.deliveries.length).toBeGreaterThan(0);
    expect(deliveries.deliveries.every((d) => String(d.notification_id) === n)).toBe(true);
    const table = await cli(['sandbox', 'deliveries', '--notification-id', n]);
    expect(table.stdout).toMatch(/^EVENT ID\s+TOPIC/);
    const eventId = deliveries.deliveries[0]!.event_id;
    const again = jsonOf<{ event_id: string; status: string }>(await cli(['sandbox', 'redeliver', eventId, '--json']));
    expect(again).toMatchObject({ event_id: eventId, status: 'pending' });
  });

  it('sandbox start runs notifykit-sandbox with the same flags; a bad flag exits like it', async () => {
    const started = startCli(['sandbox', 'start', '--port', '0', '--db', ':memory:', '--log-level', 'silent'], {});
    try {
      await waitFor(() => /listening on http:\/\/\S+/.test(started.stdout()), { timeoutMs: 15_000, what: 'listening' });
    } finally {
      started.child.kill('SIGTERM');
    }
    expect(await started.exited).toBe(0);
    const bad = await cli(['sandbox', 'start', '--speed', 'fast']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--speed');
  });
});

describe('listen', () => {
  it('prints each webhook (topic, payout, status, verification) and forwards body and headers unchanged', async () => {
    const received: { body: string; headers: IncomingHttpHeaders }[] = [];
    const app = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks`;
    const listen = startCli(['listen', '--port', '0', '--forward-to', appUrl], {
      ...stack.env,
      INGO_WEBHOOK_SECRET: stack.secrets.webhookSecret,
    });
    try {
      const url = await waitFor(() => /listening on (http:\/\/\S+?),/.exec(listen.stderr())?.[1], { what: 'listen' });
      const body = JSON.stringify({
        metadata: {
          id: 'evt-listen-1',
          topic: 'transaction.recipient.notification.status.sent',
          timestamp: 1700000000,
        },
        data: { ancillary: { notification_id: '4242', participant_unique_id1: 'pay-listen' }, event: { status: 1000 } },
      });
      const signature = createHmac('sha512', stack.secrets.webhookSecret).update(body).digest('base64');
      const answer = await fetch(`${url}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ingo-signature': signature, 'x-custom': 'kept' },
        body,
      });
      expect(answer.status).toBe(204); // the forward target's answer
      const bad = await fetch(`${url}/`, { method: 'POST', headers: { 'x-ingo-signature': 'AAAA' }, body });
      expect(bad.status).toBe(204);
      await waitFor(() => listen.stdout().trim().split('\n').length >= 2, { what: 'two printed events' });
      expect(received[0]!.body).toBe(body);
      expect(received[0]!.headers['x-ingo-signature']).toBe(signature);
      expect(received[0]!.headers['x-custom']).toBe('kept');
      const [good, wrong] = listen.stdout().trim().split('\n');
      expect(good).toMatch(
        /transaction\.recipient\.notification\.status\.sent\s+payout pay-listen \(notification 4242\)\s+status 1000\s+signature valid\s+→ 204/,
      );
      expect(wrong).toMatch(/signature invalid: X-Ingo-Signature does not match/);
    } finally {
      listen.child.kill('SIGTERM');
      await listen.exited;
      app.close();
    }
    const badUrl = await cli(['listen', '--forward-to', 'localhost:3000']);
    expect(badUrl.code).toBe(2);
  });
});

describe('signatures', () => {
  const vector = JSON.parse(
    readFileSync(new URL('../../sdk/test/fixtures/signing-vector.json', import.meta.url), 'utf8'),
  ) as {
    vectors: {
      method: string;
      path: string;
      body: string;
      username: string;
      secret: string;
      x_date: string;
      content_sha512: string;
      signature: string;
    }[];
  };
  const v = vector.vectors[0]!;

  it('sign reproduces the signing vector (human and --json), with a curl command and never the secret', async () => {
    const args = [
      'sign',
      '--method',
      v.method,
      '--path',
      v.path,
      '--body',
      v.body,
      '--username',
      v.username,
      '--date',
      v.x_date,
    ];
    const human = await cli(args, { INGO_SECRET: v.secret });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Content-sha512: ${v.content_sha512}`);
    expect(human.stdout).toContain(`signature="${v.signature}"`);
    expect(human.stdout).toMatch(/^curl -sS -X POST /m);
    expect(human.stdout + human.stderr).not.toContain(v.secret);
    const json = jsonOf<{ headers: Record<string, string>; signing_string: string; curl: string }>(
      await cli([...args, '--json'], { INGO_SECRET: v.secret }),
    );
    expect(json.headers['Content-sha512']).toBe(v.content_sha512);
    expect(json.signing_string).toContain(`x-date: ${v.x_date}`);
  });

  it('sign refuses a path without a leading slash (exit 2) and warns on a non-RFC 7231 date', async () => {
    const noSlash = await cli(['sign', '--path', 'gateway/v3/notify', '--username', 'u'], { INGO_SECRET: 's' });
    expect(noSlash.code).toBe(2);
    expectOneErrorLine(noSlash.stderr, /--path must start with "\/"/);
    const isoDate = await cli(['sign', '--path', '/x', '--username', 'u', '--date', '2025-01-01T00:00:00Z'], {
      INGO_SECRET: 's',
    });
    expect(isoDate.code).toBe(0);
    expect(isoDate.stderr).toMatch(/warning: --date .* is not an RFC 7231 date/);
    const noSecret = await cli(['sign', '--path', '/x', '--username', 'u']);
    expect(noSecret.code).toBe(1);
    expectOneErrorLine(noSecret.stderr, /INGO_SECRET is not set/);
  });

  it('verify-request accepts what sign made and says exactly why a changed request fails', async () => {
    const secret = 'verify-secret-123';
    const signed = jsonOf<{ headers: Record<string, string> }>(
      await cli(['sign', '--path', '/gateway/v3/notify', '--username', 'acme', '--body', '{"a":1}', '--json'], {
        INGO_SECRET: secret,
      }),
    );
    const headers = Object.entries(signed.headers).flatMap(([k, val]) => ['--header', `${k}: ${val}`]);
    const env = { INGO_SECRET: secret, INGO_USERNAME: 'acme' };
    const ok = await cli(
      ['verify-request', '--path', '/gateway/v3/notify', ...headers, '--body', '{"a":1}', '--json'],
      env,
    );
    expect(jsonOf(ok)).toMatchObject({ valid: true, username: 'acme' });
    const changed = await cli(['verify-request', '--path', '/gateway/v3/notify', ...headers, '--body', '{"a":2}'], env);
    expect(changed.code).toBe(1);
    expectOneErrorLine(changed.stderr, /ERR_SIGNATURE_DIGEST_MISMATCH.*Content-sha512/);
    const late = await cli(
      [
        'verify-request',
        '--path',
        '/gateway/v3/notify',
        ...headers,
        '--body',
        '{"a":1}',
        '--now',
        '2099-01-01T00:00:00Z',
      ],
      env,
    );
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(/ERR_SIGNATURE_DATE/);
    const wrongSecret = await cli(
      ['verify-request', '--path', '/gateway/v3/notify', ...headers, '--body', '{"a":1}', '--json'],
      {
        ...env,
        INGO_SECRET: 'another-secret',
      },
    );
    expect(wrongSecret.code).toBe(1);
    expect(JSON.parse(wrongSecret.stdout)).toMatchObject({ valid: false, code: 'ERR_SIGNATURE_MISMATCH' });
    expect(wrongSecret.stdout + wrongSecret.stderr).not.toContain('another-secret');
  });

  it('verify-webhook names the cause: hex vs base64, wrong secret, no signature', async () => {
    const secret = 'whsec-verify';
    const file = `${stack.dir}/event.json`;
    const body =
      '{"metadata":{"id":"e1","topic":"transaction.recipient.notification.status.sent"},"data":{"ancillary":{"notification_id":"7"}}}';
    writeFileSync(file, body);
    const env = { INGO_WEBHOOK_SECRET: secret };
    const base64 = createHmac('sha512', secret).update(body).digest('base64');
    const ok = jsonOf(await cli(['verify-webhook', '--body-file', file, '--signature', base64, '--json'], env));
    expect(ok).toMatchObject({ valid: true, event: { id: 'e1', notification_id: '7' } });
    const hex = createHmac('sha512', secret).update(body).digest('hex');
    const wrongEncoding = await cli(['verify-webhook', '--body-file', file, '--signature', hex], env);
    expect(wrongEncoding.code).toBe(1);
    expectOneErrorLine(wrongEncoding.stderr, /hex-encoded HMAC, but the configured encoding is base64/);
    expect(
      (await cli(['verify-webhook', '--body-file', file, '--signature', hex, '--encoding', 'hex'], env)).code,
    ).toBe(0);
    const otherSecret = createHmac('sha512', 'other').update(body).digest('base64');
    const wrong = await cli(['verify-webhook', '--body-file', file, '--signature', otherSecret], env);
    expect(wrong.stderr).toMatch(/most likely the secret is wrong/);
    const unsigned = await cli(['verify-webhook', '--body-file', file], env);
    expect(unsigned.stderr).toMatch(/ERR_WEBHOOK_NO_SIGNATURE/);
  });
});

describe('connection settings', () => {
  it('login saves a 0600 profile; commands use it below env and flags; config never shows secrets', async () => {
    const home = { XDG_CONFIG_HOME: `${stack.dir}/login-config` };
    const saved = await runCli(
      [
        'login',
        '--server-url',
        stack.server.url,
        '--api-token',
        stack.secrets.apiToken,
        '--ingo-secret',
        'profile-secret-xyz',
      ],
      home,
    );
    expect(saved.code).toBe(0);
    const path = `${home.XDG_CONFIG_HOME}/notifykit/config.json`;
    expect(saved.stdout).toContain(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // Profile only: the stack's server answers.
    expect((await runCli(['stats', '--json'], home)).code).toBe(0);
    // Env over profile, flag over env.
    const envWins = await runCli(['stats'], { ...home, NOTIFYKIT_SERVER_URL: 'http://127.0.0.1:9' });
    expect(envWins.stderr).toContain('http://127.0.0.1:9');
    const flagWins = await runCli(['stats', '--json', '--server-url', stack.server.url], {
      ...home,
      NOTIFYKIT_SERVER_URL: 'http://127.0.0.1:9',
    });
    expect(flagWins.code).toBe(0);
    const config = jsonOf<{ name: string; value: string | null; source: string | null }[]>(
      await runCli(['config', '--json'], { ...home, INGO_USERNAME: 'acme' }),
    );
    expect(config.find((c) => c.name === 'api_token')).toEqual({
      name: 'api_token',
      value: '(set, not shown)',
      source: 'profile',
    });
    expect(config.find((c) => c.name === 'ingo_username')).toEqual({
      name: 'ingo_username',
      value: 'acme',
      source: 'env',
    });
    const table = await runCli(['config'], home);
    expect(table.stdout).toContain('(set, not shown)');
    const nothing = await runCli(['login'], { XDG_CONFIG_HOME: `${stack.dir}/empty-config` });
    expect(nothing.code).toBe(2);
  });

  it('no secret of the stack appeared in any output of any run', () => {
    const everything = allOutput.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    // (The sandbox's public development secret is not in the list: `sandbox start` prints it on purpose.)
    for (const secret of [
      stack.secrets.apiToken,
      stack.secrets.webhookSecret,
      'profile-secret-xyz',
      'verify-secret-123',
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
