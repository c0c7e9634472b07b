import { type SandboxHandle, startSandbox } from '@notifykit/sandbox';
import { signRequest } from '@notifykit/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_DEFAULTS } from '../../src/app/config.js';
import { stageBody } from '../support/stage-body.js';
import { reportFigures } from './support/figures.js';
import {
  anyJson,
  contentTypes,
  countingLog,
  expectSpecificAnswer,
  FUZZ_RUNS,
  fuzzOptions,
  percentEncode,
  queryStrings,
  stageBodies,
  text,
} from './support/fuzz-inputs.js';

// Fuzzing the sandbox at trace level: its gateway (notify, notifycancel) and its control API, with
// generated bodies, content types, query strings, ids and signatures (signed by the right participant,
// so the cases get past the signature check, or forged). No 5xx, every refusal a specific 4xx JSON
// answer, and a refused stage creates no notification.

const credential = { username: DEVELOPMENT_DEFAULTS.ingoUsername, secret: DEVELOPMENT_DEFAULTS.ingoSecret };
const participant_id = DEVELOPMENT_DEFAULTS.ingoParticipantId;
const log = countingLog();
const tally = { cases: 0, refused: 0, accepted: 0, staged: 0 };
let sandbox: SandboxHandle;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, db: ':memory:', speed: 0, logLevel: 'trace', logDestination: log.stream });
});
afterAll(async () => {
  reportFigures('fuzz/sandbox', {
    sent: tally.cases,
    acknowledged: tally.accepted,
    applied: tally.staged,
    lost: 0,
    appliedTwice: 0,
    convergeMs: 0,
    refused4xx: tally.refused,
    traceLogLines: log.state.lines,
  });
  await sandbox?.close();
});

type Signature = 'valid' | 'unsigned' | 'other-secret' | 'stale' | 'garbled';

async function send(method: 'GET' | 'POST', path: string, body: string, contentType: string, how: Signature) {
  const bodyless = method === 'GET';
  const { headers } = signRequest({
    method,
    path,
    body,
    username: credential.username,
    secret: how === 'other-secret' ? 'not-the-secret' : credential.secret,
    ...(how === 'stale' ? { date: new Date(Date.now() - 3_600_000) } : {}),
    // A GET signs what the control API requires; a POST the gateway's full list (content type included,
    // so a generated Content-Type other than JSON also meets the signature check).
    ...(bodyless ? { headers: ['request-line', 'x-date', 'content-sha512'] } : {}),
  });
  if (how === 'unsigned') delete headers.Authorization;
  if (how === 'garbled') headers.Authorization = headers.Authorization!.slice(0, 60);
  if (bodyless) {
    delete headers['Content-Length'];
    delete headers['Content-Type'];
  } else headers['Content-Type'] = contentType;
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers,
    ...(bodyless ? {} : { body }),
  });
  const text = await response.text();
  tally.cases += 1;
  const refused = expectSpecificAnswer(response.status, text, `${method} ${path} (${how})`);
  if (refused) tally.refused += 1;
  else tally.accepted += 1;
  return { status: response.status, text };
}

const signatures = fc.constantFrom<Signature>(
  'valid',
  'valid',
  'valid',
  'unsigned',
  'other-secret',
  'stale',
  'garbled',
);
const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 3 },
  contentTypes.map((c) => c.replace(/[^\x20-\x7e]/g, '')),
);

async function notificationCount(): Promise<number> {
  const { status, text } = await send('GET', '/_sandbox/notifications?limit=1000', '', '', 'valid');
  expect(status).toBe(200);
  return (JSON.parse(text) as { notifications: unknown[] }).notifications.length;
}

describe('fuzzing the sandbox at trace level', () => {
  it(`POST /gateway/v3/notify: ${FUZZ_RUNS} bodies, content types, signatures; only accepted stages create notifications`, async () => {
    const before = await notificationCount();
    await fc.assert(
      fc.asyncProperty(
        // Valid stages too (a third), so "only accepted stages create notifications" is tested both ways.
        fc
          .tuple(fc.constantFrom('fuzzed', 'fuzzed-for-us', 'valid'), fc.nat(), stageBodies)
          .map(([kind, n, fuzzed]) =>
            kind === 'valid'
              ? { ...stageBody({ puid1: `fuzz-${n}` }), tracer_id: `t-${n}`, participant_id }
              : kind === 'fuzzed-for-us' && typeof fuzzed === 'object' && fuzzed !== null && !Array.isArray(fuzzed)
                ? { ...fuzzed, participant_id }
                : fuzzed,
          ),
        contentType,
        signatures,
        async (body, type, how) => {
          const { status, text } = await send('POST', '/gateway/v3/notify', JSON.stringify(body) ?? '', type, how);
          if (status === 200 && (JSON.parse(text) as { status?: number }).status === 100) tally.staged += 1;
        },
      ),
      fuzzOptions(11),
    );
    expect(await notificationCount(), 'notifications created = stages answered 100').toBe(before + tally.staged);
  });

  it(`POST /gateway/v3/notifycancel: ${FUZZ_RUNS} bodies and signatures`, async () => {
    const cancelBody = fc.oneof(
      anyJson,
      fc
        .tuple(
          fc.constantFrom('participant_unique_id1', 'tracer_id', 'notification_id', 'amount', 'first_name'),
          anyJson,
        )
        .map(([k, v]) => ({ participant_id, participant_unique_id1: 'x', tracer_id: 'y', amount: '1.00', [k]: v })),
    );
    await fc.assert(
      fc.asyncProperty(cancelBody, contentType, signatures, async (body, type, how) => {
        await send('POST', '/gateway/v3/notifycancel', JSON.stringify(body) ?? '', type, how);
      }),
      fuzzOptions(12),
    );
  });

  it(`GET /_sandbox/notifications and /_sandbox/deliveries: ${FUZZ_RUNS} query strings`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/_sandbox/notifications', '/_sandbox/deliveries', '/_sandbox/clock'),
        queryStrings(['participant_unique_id1', 'state', 'limit', 'notification_id', 'status', 'event_id']),
        signatures,
        async (path, query, how) => {
          await send('GET', `${path}?${query}`, '', '', how);
        },
      ),
      fuzzOptions(13),
    );
  });

  it(`POST /_sandbox/notifications/{id}/actions and /_sandbox/clock/advance: ${FUZZ_RUNS} ids and bodies`, async () => {
    // One real notification, so some generated actions land on something that exists.
    const real = JSON.stringify({ ...stageBody({ puid1: 'fuzz-real' }), participant_id });
    await send('POST', '/gateway/v3/notify', real, 'application/json', 'valid');
    const action = fc.oneof(
      anyJson,
      fc.record({
        action: fc.oneof(fc.constantFrom('open', 'authenticate', 'choose_payment', 'fund', 'bounce', 'expire'), text),
        account_type: fc.oneof(fc.constantFrom('CA', 'CK', 'PD'), text),
        party_id: text,
      }),
      fc.record({ seconds: fc.oneof(fc.integer(), fc.double(), text) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('1000001', '1', '0', '-1', '99999999999999999999'), text),
        fc.boolean(),
        action,
        contentType,
        signatures,
        async (id, clock, body, type, how) => {
          const path = clock ? '/_sandbox/clock/advance' : `/_sandbox/notifications/${percentEncode(id)}/actions`;
          await send('POST', path, JSON.stringify(body) ?? '', type, how);
        },
      ),
      fuzzOptions(14),
    );
  });
});
