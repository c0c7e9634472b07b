import { DISBURSEMENT_STATUSES } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import { InvalidRequest } from '../errors.js';
import { checkStopBody, checkVoidBody } from '../http/body-schemas.js';
import { emptyQuery, listDisbursementsQuery } from '../http/query-schemas.js';
import { disbursementIdOf, parseBody, parseQuery, toCents, toLimit, toMillis } from '../http/request-parsing.js';
import { type CancelDependencies, cancelDisbursement } from './cancel.js';
import { actOnCheck } from './check-actions.js';
import { type CreateDependencies, createDisbursement } from './create.js';
import { getDisbursementDetail, listDisbursements, viewOf } from './reads.js';
import { computeStats } from './stats.js';

export type DisbursementRoutesDependencies = CreateDependencies & CancelDependencies;

const CREATED_STATUS = { replayed: 200, staged: 201, rejected: 201, retrying: 202 } as const;

/** `/api/v1/disbursements…` and `/api/v1/stats` (inside the secured API scope). */
export function disbursementRoutes(deps: DisbursementRoutesDependencies) {
  const { db } = deps.database;
  return (api: FastifyInstance) => {
    api.post('/disbursements', async (request, reply) => {
      const header = request.headers['idempotency-key'];
      const key = Array.isArray(header) ? header[0] : header;
      const result = await createDisbursement(deps, request.body, key);
      if (result.outcome === 'replayed') void reply.header('idempotent-replayed', 'true');
      return reply.status(CREATED_STATUS[result.outcome]).send(await viewOf(db, result.row));
    });

    api.get('/disbursements', async (request) => {
      const q = parseQuery(listDisbursementsQuery, request);
      const statuses = q.status
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      const unknown = statuses?.filter((s) => !(DISBURSEMENT_STATUSES as readonly string[]).includes(s)) ?? [];
      if (unknown.length > 0) {
        throw new InvalidRequest('invalid_query', `invalid query parameter: unknown status ${unknown.join(', ')}`, {
          allowed: DISBURSEMENT_STATUSES,
        });
      }
      const amountMin = toCents(q.amount_min);
      const amountMax = toCents(q.amount_max);
      if (amountMin !== undefined && amountMax !== undefined && amountMin > amountMax) {
        throw new InvalidRequest('invalid_query', 'invalid query parameter: amount_min is greater than amount_max');
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
        hold: q.hold,
        sort: q.sort,
        limit: toLimit(q.limit),
        cursor: q.cursor,
      });
    });

    api.get('/disbursements/:id', async (request) => {
      parseQuery(emptyQuery, request);
      const id = disbursementIdOf(request);
      return getDisbursementDetail(db, deps.cipher, id);
    });

    api.post('/disbursements/:id/cancel', async (request, reply) => {
      const id = disbursementIdOf(request);
      const body = request.body;
      if (
        body !== undefined &&
        body !== null &&
        (typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length > 0)
      ) {
        throw new InvalidRequest('validation_failed', 'cancel takes no body (or an empty JSON object)');
      }
      const result = await cancelDisbursement(deps, id);
      if (result.outcome === 'already_canceled') void reply.header('idempotent-replayed', 'true');
      // 202: the cancel may or may not have landed; the disbursement shows cancel_outcome_unknown.
      return reply.status(result.outcome === 'outcome_unknown' ? 202 : 200).send(await viewOf(db, result.row));
    });

    // The mailed check of a payout whose recipient chose one (docs/ingo-contract.md §4.1).
    api.post('/disbursements/:id/check/void', async (request) => {
      const id = disbursementIdOf(request);
      return viewOf(db, await actOnCheck(deps, id, 'void', parseBody(checkVoidBody, request)));
    });

    api.post('/disbursements/:id/check/stop', async (request) => {
      const id = disbursementIdOf(request);
      return viewOf(db, await actOnCheck(deps, id, 'stop', parseBody(checkStopBody, request)));
    });

    api.get('/stats', async (request) => {
      parseQuery(emptyQuery, request);
      return computeStats(db);
    });
  };
}
