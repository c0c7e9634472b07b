// The scenario engine on its own: due steps run in order on the virtual clock, and one broken
// disbursement cannot stop the others (failure injected by storing an unreadable request).

import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { tempDir } from '../../test/support/temp-dir.js';
import { resolveConfig } from '../config/config.js';
import { DeliveryWorker } from '../delivery/worker.js';
import type { NewNotification } from '../store/rows.js';
import { SandboxStore } from '../store/sandbox-store.js';
import { VirtualClock } from './clock.js';
import { ScenarioEngine } from './engine.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

function setup() {
  const dir = tempDir();
  const store = new SandboxStore(`${dir.path}/engine.db`);
  cleanups.push(() => {
    store.close();
    dir.remove();
  });
  const config = resolveConfig({ speed: 0, db: ':memory:' });
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  const clock = new VirtualClock(store, 0);
  const delivery = new DeliveryWorker(store, config, logger);
  const engine = new ScenarioEngine(store, clock, config, delivery, logger);
  return { store, clock, engine, logged };
}

function notification(now: number, puid1: string, requestJson = '{"authentication_records":[]}'): NewNotification {
  return {
    participant_id: 1,
    username: 'u',
    api_version: 'v3',
    puid1,
    puid2: '',
    tracer_id: 't',
    amount: '1.00',
    amount_cents: 100,
    first_name: 'A',
    last_name: 'B',
    business_name: null,
    email: 'a@example.com',
    session_id: 's',
    scenario: 'happy',
    state: 'notified',
    hold: null,
    auth_failures: 0,
    account_type: null,
    request_json: requestJson,
    request_timestamp: Math.floor(now / 1000),
    cancel_json: null,
    check_action_json: null,
    stage_day: '2026-01-01',
    created_at: now,
    updated_at: now,
    next_step_at: now + 1000,
    expires_at: now + 86_400_000,
  };
}

it('runs due steps in virtual time and isolates a disbursement whose step throws', () => {
  const { store, clock, engine, logged } = setup();
  const now = clock.now();
  const broken = store.insertNotification(notification(now, 'broken', '{not json'));
  const healthy = store.insertNotification(notification(now, 'healthy'));

  expect(engine.advance(500).steps).toBe(0);
  const { steps } = engine.advance(10_000);
  expect(steps).toBeGreaterThanOrEqual(5);
  expect(store.getNotification(healthy)!.state).toBe('funded');
  expect(store.events(healthy).map((e) => e.topic)).toEqual([
    'transaction.recipient.notification.status.received',
    'transaction.recipient.authentication.status.success',
    'transaction.account.tokenization.success',
    'transaction.recipient.payment.status.success',
  ]);

  const stopped = store.getNotification(broken)!;
  expect(stopped.state).toBe('notified');
  expect(stopped.next_step_at).toBeNull();
  expect(stopped.due_at).toBeNull();
  expect(store.events(broken)).toEqual([]);
  expect(logged.join('')).toContain('scenario step failed');
});
