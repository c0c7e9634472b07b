#!/usr/bin/env node
// Placeholder until the local stack (sandbox + server) lands: signs the shared demo stage request with
// the SDK and prints what would be sent, so `npm start` shows the SDK working without any network.
import { signRequest } from '../packages/sdk/dist/index.js';

const body = JSON.stringify({
  participant_id: 12345,
  amount: '250.00',
  participant_unique_id1: 'pay-0001',
  recipient: { first_name: 'Alex', last_name: 'Rivera', email: 'alex@example.com' },
});
const { headers, signingString } = signRequest({
  method: 'POST',
  path: '/gateway/v3/notify',
  body,
  username: 'demo',
  secret: 'demo-secret',
});
console.log('notifykit SDK demo: a signed Notify v3 stage request (not sent anywhere)\n');
console.log('POST /gateway/v3/notify HTTP/1.1');
for (const [k, v] of Object.entries(headers)) console.log(`${k}: ${v}`);
console.log(`\n${body}\n\nsigning string:\n${signingString}`);
