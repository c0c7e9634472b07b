import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.js';
import { createServer, type NotifykitServer } from '../src/app/server.js';
import { DASHBOARD_PAGE_ROUTES } from '../src/dashboard/static-assets.js';

// The OpenAPI document against the server itself: every route the server serves is documented (and
// nothing else), each operation has a unique operationId, and every field of every schema is described.

let server: NotifykitServer;
let doc: {
  paths: Record<string, Record<string, { operationId?: string; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, unknown> };
};

beforeAll(async () => {
  server = await createServer(
    loadConfig({ NOTIFYKIT_ENV: 'development' }, { databaseUrl: 'sqlite::memory:', logLevel: 'silent' }),
  );
  await server.app.ready();
  doc = (await server.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
});
afterAll(() => server?.close());

/** `METHOD /path/{param}` for every route in Fastify's route tree (HEAD is implied by GET). */
function servedRoutes(tree: string): string[] {
  const stack: { depth: number; path: string }[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^(.*?)[└├]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
    const parent = stack.at(-1)?.path ?? '';
    const segment = match[2]!;
    const path =
      parent === '' || parent.endsWith('/') || segment.startsWith('/') ? parent + segment : `${parent}/${segment}`;
    stack.push({ depth, path });
    for (const method of match[3]!.split(', ')) {
      if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

const documentedRoutes = () =>
  Object.entries(doc.paths)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();

/** Every object property in a JSON schema, with its path, descending through arrays, unions and refs. */
function properties(schema: unknown, path: string, seen = new Set<unknown>()): [string, Record<string, unknown>][] {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return [];
  seen.add(schema);
  const s = schema as Record<string, unknown>;
  const out: [string, Record<string, unknown>][] = [];
  for (const [name, property] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
    out.push([`${path}.${name}`, property]);
    out.push(...properties(property, `${path}.${name}`, seen));
  }
  for (const key of ['items', 'additionalProperties']) out.push(...properties(s[key], `${path}[]`, seen));
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    for (const inner of (s[key] ?? []) as unknown[]) out.push(...properties(inner, path, seen));
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('documents exactly the routes the server serves (the dashboard page aside)', () => {
    // The dashboard's page and its private session/overview/stream routes are not part of the public API.
    const served = servedRoutes(server.app.printRoutes({ commonPrefix: false })).filter(
      (r) => !(DASHBOARD_PAGE_ROUTES as readonly string[]).includes(r) && !r.includes(' /dashboard/'),
    );
    expect(served.length).toBeGreaterThanOrEqual(11);
    expect(documentedRoutes()).toEqual(served);
  });

  it('gives every operation a unique operationId', () => {
    const ids = Object.values(doc.paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("documents the webhook route's answers, the 401 and the 503 included", () => {
    const webhook = doc.paths['/webhooks/ingo']!.post!;
    expect(webhook.operationId).toBe('receiveIngoWebhook');
    expect(Object.keys(webhook.responses).sort()).toEqual(['200', '400', '401', '413', '503']);
    expect(JSON.stringify(webhook.responses['503'])).toContain('not_committed');
    expect(JSON.stringify(webhook.responses['401'])).toContain('invalid_signature');
  });

  it('documents the check actions and the cancel answers (docs/ingo-contract.md §4, §4.1)', () => {
    const voidCheck = doc.paths['/api/v1/disbursements/{id}/check/void']!.post!;
    const stopCheck = doc.paths['/api/v1/disbursements/{id}/check/stop']!.post!;
    expect([voidCheck.operationId, stopCheck.operationId]).toEqual(['voidCheck', 'stopCheck']);
    for (const operation of [voidCheck, stopCheck]) {
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '422', '502']);
      expect(JSON.stringify(operation.responses['409'])).toContain('check_action_refused');
    }
    const requests = ['CheckVoidRequest', 'CheckStopRequest'].map((name) =>
      JSON.stringify(doc.components.schemas[name]),
    );
    expect(requests[0]).toContain('73');
    expect(requests[1]).toContain('77');
    const cancel = doc.paths['/api/v1/disbursements/{id}/cancel']!.post!;
    expect(Object.keys(cancel.responses)).toEqual(expect.arrayContaining(['200', '202', '409']));
    expect(JSON.stringify(cancel.responses['202'])).toContain('cancel_outcome_unknown');
    expect(JSON.stringify(cancel.responses['200'])).toContain('already canceled');
  });

  it('describes every field of every response schema', () => {
    const names = ['Disbursement', 'DisbursementDetail', 'TimelineEntry', 'WebhookEvent', 'AttentionFlag', 'Party'];
    for (const name of [
      ...names,
      'DisbursementPage',
      'WebhookEventPage',
      'Stats',
      'Error',
      'CheckVoidRequest',
      'CheckStopRequest',
    ]) {
      const fields = properties(doc.components.schemas[name], name);
      expect(fields.length, name).toBeGreaterThan(0);
      const undescribed = fields.filter(([, p]) => typeof p.description !== 'string' && p.$ref === undefined);
      expect(undescribed.map(([path]) => path)).toEqual([]);
    }
  });

  it('documents the detail contract and the attention vocabulary, and no reducer internals', () => {
    const detail = doc.components.schemas.DisbursementDetail as { properties: Record<string, unknown> };
    expect(Object.keys(detail.properties)).toEqual(
      expect.arrayContaining(['kind', 'hold', 'attention', 'payment_method', 'authentication', 'cancel', 'approvals']),
    );
    expect(Object.keys(detail.properties)).not.toContain('side_facts');
    const flag = JSON.stringify(doc.components.schemas.AttentionFlag);
    for (const code of [
      'notification_bounced',
      'stage_retrying',
      'authentication_exhausted',
      'approver_declined',
      'check_canceled',
      'check_stopped',
      'cancel_outcome_unknown',
      'event_time_suspicious',
    ]) {
      expect(flag).toContain(code);
    }
    expect(JSON.stringify(doc.components.schemas)).not.toMatch(/accountStamp|appliedEventIds|onHold|evidence/);
  });
});
