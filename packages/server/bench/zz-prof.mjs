import { spawnListening } from './bench-support.mjs';
import { signWebhook } from '@notifykit/sdk';
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
const SECRET='s3cr3t-bench-secret';
const server = await spawnListening(['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '/work/main/packages/server/dist/bin.js', '--port', '0'], {
  DATABASE_URL: 'sqlite:/tmp/prof/bench.db', INGO_BASE_URL: 'http://127.0.0.1:9', INGO_USERNAME: 'b', INGO_SECRET: 'bench-ingo-secret', INGO_PARTICIPANT_ID: '12345', INGO_WEBHOOK_SECRET: SECRET, NOTIFYKIT_API_TOKEN: 'bench-api-token-0123456789', NOTIFYKIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'error', NOTIFYKIT_OUTBOX_BACKOFF_MS: '600000' });
server.child.stderr.on('data', (c) => { if (String(c).includes('DBG')) process.stderr.write(c); });
const puids = [];
for (let i = 0; i < 200; i++) {
  const r = await fetch(server.url + '/api/v1/disbursements', { method: 'POST', headers: { authorization: 'Bearer bench-api-token-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ amount: '1.00', recipient: { first_name: 'a', last_name: 'b', email: 'a@b.co' }, authentication_records: [{ field_label: 'x', field_order: 1, validation_type: 1, match_failure_type: 1, client_provided_value: '1' }] }) });
  puids.push((await r.json()).participant_unique_id1);
}
let n = 0;
const TOP = ['transaction.recipient.notification.status.sent','transaction.recipient.notification.status.received','transaction.recipient.authentication.status.success','transaction.account.tokenization.success','transaction.recipient.payment.status.success'];
const res = await autocannon({ url: server.url, connections: 50, duration: 6, requests: [{ method: 'POST', path: '/webhooks/ingo', setupRequest(req) { n++; const body = JSON.stringify({ metadata: { id: 'p-' + n, timestamp: 1750000000 + n, topic: TOP[n % 5], version: '3' }, data: { ancillary: { participant_unique_id1: puids[n % puids.length], notification_id: '' }, event: { status: '100' } } }); return { ...req, body, headers: { 'content-type': 'application/json', 'x-ingo-signature': signWebhook(body, SECRET) } }; } }] });
console.log('rps', res.requests.average, 'p99', res.latency.p99, 'non2xx', res.non2xx);
await server.stop();
