import { type ProgramRules, stageRequestSchema } from '@notifykit/sdk';
import { z } from 'zod';
import { checkStopBody, checkVoidBody, managedDisbursementBody } from './body-schemas.js';
import { listDisbursementsQuery, listEventsQuery, listQuarantineQuery } from './query-schemas.js';
import {
  disbursementDetailResponse,
  disbursementPage,
  errorResponse,
  eventPage,
  quarantinePage,
  statsResponse,
} from './response-schemas.js';

// The OpenAPI 3.1 document is generated from the same zod schemas that validate requests (the API's
// query schemas and the SDK's stage schema) and type the answers (response-schemas.ts), so it cannot
// drift from what the server enforces and returns. Every route the server serves is here (except the
// dashboard at `/`), each with an operationId.

type JsonObject = Record<string, unknown>;

const COMPONENT_URI = (id: string) => `#/components/schemas/${id}`;

/** `#/$defs/X` (what z.toJSONSchema emits) → `#/components/schemas/X`, everywhere in a schema. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof inner === 'string'
        ? inner.replace(/^#\/\$defs\//, '#/components/schemas/')
        : rewriteRefs(inner);
  }
  return out;
}

/** Converts a zod schema; named sub-schemas (meta id) are hoisted into `components`. */
function schemaOf(
  schema: z.ZodType,
  components: Record<string, JsonObject>,
  io: 'input' | 'output' = 'output',
): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject & {
    $defs?: Record<string, JsonObject>;
  };
  for (const [name, def] of Object.entries(json.$defs ?? {})) components[name] ??= rewriteRefs(def) as JsonObject;
  delete json.$defs;
  delete json.$schema;
  return rewriteRefs(json) as JsonObject;
}

function queryParameters(schema: z.ZodObject, components: Record<string, JsonObject>): JsonObject[] {
  const json = schemaOf(schema, components, 'input') as {
    properties?: Record<string, JsonObject>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    description: property.description,
    schema: property,
  }));
}

const errorRef = { $ref: COMPONENT_URI('Error') };
const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request (bad JSON, bad query parameter, bad cursor)',
  401: 'Missing or invalid credentials (bearer token)',
  403: 'The read-only token (NOTIFYKIT_READONLY_TOKEN) cannot act; or a dashboard session without its X-CSRF-Token',
  404: 'Not found',
  409: 'Conflict (idempotency key reused with different data, cancel or check action refused in this status)',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Body fails validation (issues in details)',
  500: 'Internal failure (cancel: Ingo accepted it but recording it failed; repeating the call is safe)',
  502: 'Ingo could not be reached',
};
/** Error answers: a status with the standard text, or [status, text] for a route-specific one. */
const errors = (...statuses: (number | [number, string])[]) =>
  Object.fromEntries(
    statuses.map((entry) => {
      const [status, text] = typeof entry === 'number' ? [entry, ERROR_TEXT[entry] ?? 'Error'] : entry;
      return [String(status), { description: text, content: { 'application/json': { schema: errorRef } } }];
    }),
  );
const json = (schema: JsonObject, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export function buildOpenApiDocument(programRules: Partial<ProgramRules>): JsonObject {
  const components: Record<string, JsonObject> = {};
  const stageBody = schemaOf(stageRequestSchema(programRules), components, 'input') as JsonObject & {
    required?: string[];
  };
  // The server fills these three in (configured participant, generated ids).
  stageBody.required = (stageBody.required ?? []).filter(
    (name) => !['participant_id', 'participant_unique_id1', 'tracer_id'].includes(name),
  );
  for (const schema of [
    errorResponse,
    disbursementDetailResponse,
    disbursementPage,
    eventPage,
    quarantinePage,
    statsResponse,
  ]) {
    schemaOf(schema, components);
  }
  for (const schema of [checkVoidBody, checkStopBody, managedDisbursementBody]) schemaOf(schema, components, 'input');
  components.StageRequest = stageBody;
  const ref = (id: string) => ({ $ref: COMPONENT_URI(id) });

  return {
    openapi: '3.1.0',
    info: {
      title: 'notifykit server API',
      version: '0.1.0',
      description:
        'Stage Ingo Notify disbursements durably, ingest Ingo webhooks exactly once and track every payout. ' +
        'All /api/v1 endpoints except this document need `Authorization: Bearer <NOTIFYKIT_API_TOKEN>`.',
    },
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/disbursements': {
        post: {
          operationId: 'createDisbursement',
          summary:
            "Stage a disbursement (body: Ingo's v3 stage request, or a Managed Parties payout with `parties`, staged through v4)",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Becomes participant_unique_id1; repeating the call returns the same disbursement',
              schema: { type: 'string', minLength: 1, maxLength: 100 },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { oneOf: [ref('StageRequest'), ref('ManagedDisbursementRequest')] } },
            },
          },
          responses: {
            '200': json(ref('Disbursement'), 'Idempotent replay: the disbursement created earlier with this key'),
            '201': json(
              ref('Disbursement'),
              'Created and staged (status staged), or rejected by Ingo (status failed, failure set)',
            ),
            '202': json(
              ref('Disbursement'),
              'Created; Ingo unreachable, the outbox keeps retrying (status pending, attention stage_retrying)',
            ),
            ...errors(400, 401, 403, 409, 413, 415, 422),
          },
        },
        get: {
          operationId: 'listDisbursements',
          summary: 'List disbursements, newest first (cursor pagination)',
          parameters: queryParameters(listDisbursementsQuery, components),
          responses: { '200': json(ref('DisbursementPage'), 'A page'), ...errors(400, 401) },
        },
      },
      '/api/v1/disbursements/{id}': {
        get: {
          operationId: 'getDisbursement',
          summary:
            'A disbursement with what its lifecycle means (hold, payment method, authentication, cancel) and its full timeline',
          parameters: [idParameter],
          responses: { '200': json(ref('DisbursementDetail'), 'The disbursement'), ...errors(400, 401, 404) },
        },
      },
      '/api/v1/disbursements/{id}/cancel': {
        post: {
          operationId: 'cancelDisbursement',
          summary:
            'Cancel (Ingo notifycancel); refused with 409 while pending, once claimed or in another terminal status; idempotent once canceled',
          parameters: [idParameter],
          responses: {
            '200': json(
              ref('Disbursement'),
              'Canceled; or already canceled before this call (header Idempotent-Replayed: true), answered with its state',
            ),
            '202': json(
              ref('Disbursement'),
              "Sent, outcome unknown: the answer was lost after the cancel may have reached Ingo (attention cancel_outcome_unknown, cancel.outcome unknown); Ingo's canceled webhook, or the payout moving on, settles it",
            ),
            ...errors(
              400,
              401,
              403,
              404,
              [
                409,
                'Cancel refused in this status (cancel_refused), or by Ingo because of its state (cancel_refused_by_ingo)',
              ],
              422,
              500,
              502,
            ),
          },
        },
      },
      '/api/v1/disbursements/{id}/check/void': checkActionPath(
        'voidCheck',
        'Void the mailed check (Ingo checkcancel) of a payout whose recipient chose one; the status follows Ingo’s check.canceled webhook',
        ref('CheckVoidRequest'),
      ),
      '/api/v1/disbursements/{id}/check/stop': checkActionPath(
        'stopCheck',
        'Stop payment on the issued check (Ingo checkstop) of a payout whose recipient chose one; the status follows Ingo’s check.stopped webhook',
        ref('CheckStopRequest'),
      ),
      '/api/v1/events': {
        get: {
          operationId: 'listEvents',
          summary: 'Webhook events received, newest first (cursor pagination)',
          parameters: queryParameters(listEventsQuery, components),
          responses: { '200': json(ref('WebhookEventPage'), 'A page'), ...errors(400, 401) },
        },
      },
      '/api/v1/quarantine': {
        get: {
          operationId: 'listQuarantinedWebhooks',
          summary:
            'Verified webhooks that could not be stored as events (a NUL or an over-long identifier), kept verbatim and acknowledged; newest first',
          parameters: queryParameters(listQuarantineQuery, components),
          responses: { '200': json(ref('QuarantinedWebhookPage'), 'A page'), ...errors(400, 401) },
        },
      },
      '/api/v1/stats': {
        get: {
          operationId: 'getStats',
          summary: 'Counts and amounts per status, staged → funded funnel, median time to fund',
          responses: { '200': json(ref('Stats'), 'Statistics'), ...errors(400, 401) },
        },
      },
      '/api/v1/openapi.json': {
        get: {
          operationId: 'getOpenApiDocument',
          summary: 'This document (no token needed)',
          security: [],
          responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') },
        },
      },
      '/webhooks/ingo': {
        post: {
          operationId: 'receiveIngoWebhook',
          summary: 'Ingo webhook receiver (authenticated by X-Ingo-Signature only); answered after the commit',
          security: [],
          parameters: [
            {
              name: 'X-Ingo-Signature',
              in: 'header',
              required: true,
              description: 'HMAC of the raw body under the webhook secret (INGO_WEBHOOK_SIGNATURE scheme)',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            description: 'An Ingo event envelope ({metadata, data}), verified byte for byte',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          responses: {
            '200': json(
              {
                type: 'object',
                required: ['received', 'duplicate'],
                properties: {
                  received: { type: 'boolean', description: 'Always true: the event is committed' },
                  duplicate: {
                    type: 'boolean',
                    description: 'The metadata.id was received before; acknowledged without effect',
                  },
                },
              },
              'Committed (or a duplicate, acknowledged without effect)',
            ),
            ...errors(
              [400, 'Signed correctly but not an Ingo event: malformed_json, not_an_envelope; nothing stored'],
              [
                401,
                'X-Ingo-Signature missing (missing_signature) or not matching the body (invalid_signature); nothing stored',
              ],
              [413, 'Body over 256 KiB (payload_too_large); nothing stored'],
              [503, 'Verified but not committed (not_committed): nothing acknowledged, Ingo retries'],
            ),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'getHealth',
          summary: 'The process is up',
          security: [],
          responses: { '200': json(statusObject(['ok']), 'Up') },
        },
      },
      '/readyz': {
        get: {
          operationId: 'getReadiness',
          summary: 'Ready to serve: database reachable, migrations applied, not shutting down',
          security: [],
          responses: {
            '200': json(statusObject(['ready']), 'Ready'),
            '503': json(statusObject(['not_ready']), 'Not ready; `reason` says why'),
          },
        },
      },
      '/metrics': {
        get: {
          operationId: 'getMetrics',
          summary: 'Prometheus metrics (text exposition format)',
          security: [],
          responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
        },
      },
    },
  };
}

function checkActionPath(operationId: string, summary: string, body: JsonObject): JsonObject {
  return {
    post: {
      operationId,
      summary,
      parameters: [idParameter],
      requestBody: { required: true, content: { 'application/json': { schema: body } } },
      responses: {
        '200': json(
          { $ref: COMPONENT_URI('Disbursement') },
          'Ingo accepted it (recorded on the timeline as check_voided / check_stopped); the status moves with its webhooks',
        ),
        ...errors(
          400,
          401,
          403,
          404,
          [
            409,
            'Not a check payout, or not in a status that allows it (check_action_refused), or refused by Ingo because of its state, e.g. no issued check (check_action_refused_by_ingo)',
          ],
          [422, 'Body fails validation (reason_code: 73–76 to void, 77–78 to stop), or Ingo refused the request'],
          502,
        ),
      },
    },
  };
}

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Disbursement id (dsb_…)',
  schema: { type: 'string', pattern: '^dsb_[0-9a-f]{28}$' },
};

function statusObject(statuses: string[]): JsonObject {
  return {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: statuses },
      reason: {
        type: 'string',
        description: 'Why not ready (migrations pending, database unreachable, shutting down)',
      },
      database: { type: 'string', description: 'sqlite or postgres' },
    },
  };
}
