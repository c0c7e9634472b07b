import { amountToCents, DISBURSEMENT_STATUSES } from '@notifykit/sdk';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Database } from '../db/connection.js';
import type { FieldCipher } from '../db/field-encryption.js';
import { ApiError } from '../errors.js';
import { disbursementIdParams, emptyQuery, listDisbursementsQuery, listEventsQuery } from '../http/api-schemas.js';
import { createBearerTokenCheck } from '../http/api-token-auth.js';
import { computeStats, getDisbursementDetail, listDisbursements, listEvents } from './reads.js';
import type { StagingService } from './staging-service.js';

export interface ApiDependencies {
  apiToken: string;
  database: Database;
  cipher: FieldCipher;
  staging: StagingService;
  openApiDocument: Record<string, unknown>;
}

function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: string, what: string): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message:
      i.code === 'unrecognized_keys' ? `unknown ${what}: ${(i as { keys: string[] }).keys.join(', ')}` : i.message,
  }));
  throw new ApiError(
    400,
    code,
    `invalid ${what}: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`,
    {
      issues,
    },
  );
}

function toMillis(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ApiError(400, 'invalid_query', `invalid query parameter: ${name} is not a real date`);
  return ms;
}

function toCents(value: string | undefined): number | undefined {
  return value === undefined ? undefined : amountToCents(value);
}

function toLimit(value: string | undefined): number {
  if (value === undefined) return 50;
  const n = Number(value);
  if (n < 1 || n > 200)
    throw new ApiError(400, 'invalid_query', 'invalid query parameter: limit must be between 1 and 200');
  return n;
}

function idParam(request: FastifyRequest): string {
  return parseWith(disbursementIdParams, request.params, 'invalid_id', 'path parameter').id;
}

export async function registerApiRoutes(app: FastifyInstance, deps: ApiDependencies): Promise<void> {
  const checkToken = createBearerTokenCheck(deps.apiToken);
  const { db } = deps.database;

  await app.register(
    async (api) => {
      // The API speaks JSON only; anything else is a 415, not a string body.
      api.removeContentTypeParser('text/plain');
      api.get('/openapi.json', async () => deps.openApiDocument);

      await api.register(async (secured) => {
        secured.addHook('onRequest', async (request) => {
          checkToken(request.headers.authorization);
        });

        secured.post('/disbursements', async (request, reply) => {
          const header = request.headers['idempotency-key'];
          const key = Array.isArray(header) ? header[0] : header;
          const result = await deps.staging.create(request.body, key);
          if (result.replayed) void reply.header('idempotent-replayed', 'true');
          return reply.status(result.httpStatus).send(result.disbursement);
        });

        secured.get('/disbursements', async (request) => {
          const q = parseWith(listDisbursementsQuery, request.query, 'invalid_query', 'query parameter');
          const statuses = q.status
            ?.split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0);
          const unknown = statuses?.filter((s) => !(DISBURSEMENT_STATUSES as readonly string[]).includes(s)) ?? [];
          if (unknown.length > 0) {
            throw new ApiError(400, 'invalid_query', `invalid query parameter: unknown status ${unknown.join(', ')}`, {
              allowed: DISBURSEMENT_STATUSES,
            });
          }
          const amountMin = toCents(q.amount_min);
          const amountMax = toCents(q.amount_max);
          if (amountMin !== undefined && amountMax !== undefined && amountMin > amountMax) {
            throw new ApiError(400, 'invalid_query', 'invalid query parameter: amount_min is greater than amount_max');
          }
          return listDisbursements(db, {
            statuses,
            createdFrom: toMillis(q.created_from, 'created_from'),
            createdTo: toMillis(q.created_to, 'created_to'),
            updatedFrom: toMillis(q.updated_from, 'updated_from'),
            updatedTo: toMillis(q.updated_to, 'updated_to'),
            amountMinCents: amountMin,
            amountMaxCents: amountMax,
            q: q.q,
            limit: toLimit(q.limit),
            cursor: q.cursor,
          });
        });

        secured.get('/disbursements/:id', async (request) => {
          parseWith(emptyQuery, request.query, 'invalid_query', 'query parameter');
          const id = idParam(request);
          const detail = await getDisbursementDetail(db, deps.cipher, id);
          if (!detail) throw new ApiError(404, 'not_found', `no disbursement ${id}`);
          return detail;
        });

        secured.post('/disbursements/:id/cancel', async (request) => {
          const id = idParam(request);
          const body = request.body;
          if (
            body !== undefined &&
            body !== null &&
            (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0)
          ) {
            throw new ApiError(422, 'validation_failed', 'cancel takes no body (or an empty JSON object)');
          }
          return deps.staging.cancel(id);
        });

        secured.get('/events', async (request) => {
          const q = parseWith(listEventsQuery, request.query, 'invalid_query', 'query parameter');
          return listEvents(db, {
            topic: q.topic,
            notificationId: q.notification_id,
            disbursementId: q.disbursement_id,
            orphan: q.orphan === undefined ? undefined : q.orphan === 'true',
            limit: toLimit(q.limit),
            cursor: q.cursor,
          });
        });

        secured.get('/stats', async (request) => {
          parseWith(emptyQuery, request.query, 'invalid_query', 'query parameter');
          return computeStats(db);
        });
      });
    },
    { prefix: '/api/v1' },
  );
}
