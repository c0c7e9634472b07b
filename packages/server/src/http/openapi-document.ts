import { type ProgramRules, stageRequestSchema } from '@notifykit/sdk';
import { z } from 'zod';
import {
  cancelResponse,
  disbursementDetailResponse,
  disbursementPage,
  errorResponse,
  eventPage,
  listDisbursementsQuery,
  listEventsQuery,
  statsResponse,
} from './api-schemas.js';

// The OpenAPI 3.1 document is generated from the same zod schemas that validate requests (the API's
// query schemas and the SDK's stage schema), so it cannot drift from what the server enforces.

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
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [
      String(code),
      { description: ERROR_TEXT[code] ?? 'Error', content: { 'application/json': { schema: errorRef } } },
    ]),
  );
const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed request (bad JSON, bad query parameter, bad cursor)',
  401: 'Missing or invalid credentials (bearer token, or X-Ingo-Signature for webhooks)',
  404: 'Not found',
  409: 'Conflict (idempotency key reused with different data, cancel refused in this status)',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Body fails validation (issues in details)',
  500: 'Internal failure (cancel: Ingo accepted it but recording it failed; repeating the call is safe)',
  502: 'Ingo could not be reached',
};
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
  for (const schema of [errorResponse, disbursementDetailResponse, disbursementPage, eventPage, statsResponse]) {
    schemaOf(schema, components);
  }
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
          summary: "Stage a disbursement (body: Ingo's v3 stage request)",
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'Becomes participant_unique_id1; repeating the call returns the same disbursement',
              schema: { type: 'string', minLength: 1, maxLength: 100 },
            },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('StageRequest') } } },
          responses: {
            '200': json(ref('Disbursement'), 'Idempotent replay: the disbursement created earlier with this key'),
            '201': json(
              ref('Disbursement'),
              'Created and staged (status staged), or rejected by Ingo (status failed, failure set)',
            ),
            '202': json(ref('Disbursement'), 'Created; Ingo unreachable, the outbox keeps retrying (status pending)'),
            ...errors(400, 401, 409, 413, 415, 422),
          },
        },
        get: {
          summary: 'List disbursements, newest first (cursor pagination)',
          parameters: queryParameters(listDisbursementsQuery, components),
          responses: { '200': json(ref('DisbursementPage'), 'A page'), ...errors(400, 401) },
        },
      },
      '/api/v1/disbursements/{id}': {
        get: {
          summary: 'A disbursement with its full timeline (every event, raw payloads, duplicate counts)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': json(ref('DisbursementDetail'), 'The disbursement'), ...errors(400, 401, 404) },
        },
      },
      '/api/v1/disbursements/{id}/cancel': {
        post: {
          summary: 'Cancel (Ingo notifycancel); refused with 409 once claimed or terminal',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': json(schemaOf(cancelResponse, components), 'Canceled'),
            ...errors(400, 401, 404, 409, 422, 500, 502),
          },
        },
      },
      '/api/v1/events': {
        get: {
          summary: 'Webhook events received, newest first (cursor pagination)',
          parameters: queryParameters(listEventsQuery, components),
          responses: { '200': json(ref('WebhookEventPage'), 'A page'), ...errors(400, 401) },
        },
      },
      '/api/v1/stats': {
        get: {
          summary: 'Counts and amounts per status, staged → funded funnel, median time to fund',
          responses: { '200': json(ref('Stats'), 'Statistics'), ...errors(400, 401) },
        },
      },
      '/webhooks/ingo': {
        post: {
          summary: 'Ingo webhook receiver (authenticated by X-Ingo-Signature only)',
          security: [],
          parameters: [{ name: 'X-Ingo-Signature', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            '200': json(
              { type: 'object', properties: { received: { type: 'boolean' }, duplicate: { type: 'boolean' } } },
              'Committed (or a duplicate, acknowledged without effect)',
            ),
            ...errors(400, 401, 413),
          },
        },
      },
    },
  };
}
