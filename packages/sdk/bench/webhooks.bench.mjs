// verifyWebhook on a realistic delivery vs the raw work it cannot avoid: one HMAC-SHA512 of the body,
// base64, a constant-time compare and JSON.parse of the same bytes, straight from node:crypto.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signWebhook, verifyWebhook } from '../dist/index.js';
import { compare, isMain, report } from './measure.mjs';

const secret = 'whsec_bench_7c1f0e9d8b6a5f4e3d2c1b0a99887766';

// A tokenization event as Ingo's reference pages shape it, compact (~630 bytes).
const body = Buffer.from(
  JSON.stringify({
    metadata: {
      id: '3f6c2b1e-8a4d-4c7e-9b2f-61d0a5e4c3b2',
      timestamp: 1752164133,
      topic: 'transaction.account.tokenization.success',
      topic_description: 'This event reports that the account was tokenized.',
      version: '1',
    },
    data: {
      ancillary: {
        participant_unique_id1: 'claim-2026-000123-payout-01',
        participant_unique_id2: '111111111-2222-3333333-4444444444',
        notification_id: '1000001',
        session_id: '00000000-0000-0000-0000-000000000001',
        party_id: '',
      },
      event: {
        status: '100',
        client_message: 'Success',
        customer_account_token: 'cat_9f8e7d6c5b4a39281706f5e4d3c2b1a0',
        account_type: 'CA',
        account_id: '123456789',
        issuers: ['VISA'],
      },
    },
  }),
  'utf8',
);

const signature = signWebhook(body, secret);
const headers = { 'content-type': 'application/json', 'x-ingo-signature': signature };

export async function run() {
  let sink = 0;
  const subject = () => {
    const event = verifyWebhook({ rawBody: body, headers, secrets: secret });
    sink += event.id.length;
  };
  const baseline = () => {
    const expected = createHmac('sha512', secret).update(body).digest('base64');
    if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) throw new Error('baseline mismatch');
    const parsed = JSON.parse(body.toString('utf8'));
    sink += parsed.metadata.id.length;
  };
  const r = compare(subject, baseline, { warmupMs: 500, sliceMs: 200, slices: 8 });
  if (sink === 0) throw new Error('benchmark did no work');
  return { name: `verifyWebhook (${body.byteLength}-byte event)`, ...r, target: 0.8 };
}

if (isMain(import.meta.url)) report(await run());
