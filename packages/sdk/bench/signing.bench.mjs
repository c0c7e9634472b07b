// signRequest on a realistic stage body vs the raw work it cannot avoid: one SHA-512 of the body and
// one HMAC-SHA512 of an equivalent signing string, straight from node:crypto.
import { createHash, createHmac } from 'node:crypto';
import { signRequest } from '../dist/index.js';
import { compare, isMain, report } from './measure.mjs';

const body = JSON.stringify({
  participant_id: 12345,
  amount: '250.00',
  participant_unique_id1: 'claim-2026-000123-payout-01',
  tracer_id: 'trc-7f3a9c2e-1b4d-4e8a-9f00-5c2d1e0b7a61',
  recipient: {
    first_name: 'Alex',
    last_name: 'Rivera',
    email: 'alex.rivera@example.com',
    address1: '1200 Congress Ave',
    city: 'Austin',
    state: 'TX',
    zip: '78701',
  },
  authentication_records: [
    {
      field_label: 'Last 4 SSN',
      field_order: 1,
      validation_type: 3,
      match_failure_type: 1,
      value_format: 'XXXX',
      client_provided_value: '6789',
    },
    {
      field_label: 'Date of birth',
      field_order: 2,
      validation_type: 1,
      match_failure_type: 1,
      value_format: 'MM/DD/YYYY',
      client_provided_value: '04/12/1986',
    },
  ],
  language: 'en-US',
});

export async function run() {
  const secret = 'bench-secret-0123456789abcdef';
  const date = 'Thu, 26 Nov 2026 12:00:00 GMT';
  const subject = () =>
    signRequest({ method: 'POST', path: '/gateway/v3/notify', body, username: 'bench', secret, date });
  const baseline = () => {
    const digest = createHash('sha512').update(body).digest('base64');
    const s = `POST /gateway/v3/notify HTTP/1.1\nx-date: ${date}\ncontent-type: application/json\ncontent-sha512: ${digest}\ncontent-length: ${body.length}`;
    return createHmac('sha512', secret).update(s).digest('base64');
  };
  const r = compare(subject, baseline);
  return { name: `signRequest (${Buffer.byteLength(body)}-byte stage body)`, ...r, target: 0.85 };
}

if (isMain(import.meta.url)) report(await run());
