// The /_sandbox control API of sandbox.md: what Ingo's hosted pages let recipients do, as HTTP calls,
// plus the clock, inspection, the delivery log, redelivery and reset. Every call is signed exactly like
// a gateway call (same credentials, verifyRequestSignature) and sees only the signer's disbursements.
// Because a GET has no body, control calls need not sign content-length (it is verified when signed).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResolvedCredential } from '../config/credentials.js';
import { normalizeWebhookUrl, redactedUrl } from '../config/webhook-url.js';
import type { SandboxContext } from '../http/context.js';
import { readJsonObject } from '../http/json-body.js';
import { rawBody, signatureGuard } from '../http/signature-guard.js';
import { snapshotOf } from '../simulation/engine.js';
import {
  ACCOUNT_TYPES,
  type AccountType,
  CONTROL_ACTIONS,
  type ControlAction,
  lifecycleStatusOf,
  type MachineState,
} from '../simulation/machine.js';
import { nextScenarioStep, type ScenarioName } from '../simulation/scenarios.js';
import type { DeliveryStatus, NotificationRow } from '../store/rows.js';

const CONTROL_PREFIX = '/_sandbox';
/** Headers a control call must sign (content-length too when the client lists it). */
export const CONTROL_REQUIRED_SIGNED_HEADERS = ['request-line', 'x-date', 'content-sha512'] as const;

const MAX_ADVANCE_SECONDS = 10 * 366 * 86_400;
const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'exhausted'];

function sendError(reply: FastifyReply, httpStatus: number, code: string, message: string, extra = {}) {
  return reply.code(httpStatus).send({ error: { code, message }, ...extra });
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function signer(request: FastifyRequest): ResolvedCredential {
  if (request.credential === null) throw new Error('control route registered without the signature guard');
  return request.credential;
}

/** A control body: absent, or a JSON object. */
function optionalJsonObject(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> | undefined {
  if (rawBody(request).byteLength === 0) return {};
  const json = readJsonObject(request);
  if (json.ok) return json.value;
  sendError(reply, json.httpStatus, 'invalid_body', json.message);
  return undefined;
}

function positiveInteger(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

export function registerControlRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store, clock, engine, config } = ctx;
  const guard = signatureGuard(ctx, { requiredHeaders: CONTROL_REQUIRED_SIGNED_HEADERS });

  function notificationView(row: NotificationRow) {
    const state = row.state as MachineState;
    const next =
      row.next_step_at === null ? undefined : nextScenarioStep(row.scenario as ScenarioName, snapshotOf(row));
    return {
      notification_id: row.id,
      api_version: row.api_version,
      participant_id: row.participant_id,
      participant_unique_id1: row.puid1,
      participant_unique_id2: row.puid2,
      tracer_id: row.tracer_id,
      amount: row.amount,
      recipient: {
        first_name: row.first_name,
        last_name: row.last_name,
        business_name: row.business_name,
        email: row.email,
      },
      scenario: row.scenario,
      state,
      status: lifecycleStatusOf(state),
      hold: row.hold,
      authentication_failures: row.auth_failures,
      account_type: row.account_type,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
      next_step_at: iso(row.next_step_at),
      next_action: next?.input.action ?? null,
      expires_at: iso(row.expires_at),
      parties: store.parties(row.id).map((p) => ({
        party_id: p.party_id,
        role: p.role,
        client_provided_id: p.client_provided_id,
        state: p.role === 0 ? lifecycleStatusOf(state) : p.state,
      })),
      events: store.events(row.id).map((e) => ({
        id: e.id,
        topic: e.topic,
        created_at: iso(e.created_at),
        payload: JSON.parse(e.body) as unknown,
      })),
      request: JSON.parse(row.request_json) as unknown,
    };
  }

  function ownNotification(request: FastifyRequest, reply: FastifyReply, idText: string) {
    const id = positiveInteger(idText);
    const row = id === undefined ? undefined : store.getNotification(id);
    if (!row || row.participant_id !== signer(request).participantId) {
      sendError(reply, 404, 'not_found', 'no such notification for this participant');
      return undefined;
    }
    return row;
  }

  app.get(`${CONTROL_PREFIX}/notifications`, { preHandler: guard }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const limit = query.limit === undefined ? 100 : positiveInteger(query.limit);
    if (limit === undefined || limit > 1000) return sendError(reply, 400, 'invalid_query', 'limit must be 1–1000');
    const rows = store.listNotifications(
      signer(request).participantId,
      query.participant_unique_id1 ?? null,
      query.state ?? null,
      limit,
    );
    return { notifications: rows.map(notificationView) };
  });

  app.get<{ Params: { id: string } }>(
    `${CONTROL_PREFIX}/notifications/:id`,
    { preHandler: guard },
    async (request, reply) => {
      const row = ownNotification(request, reply, request.params.id);
      return row ? notificationView(row) : reply;
    },
  );

  app.post<{ Params: { id: string } }>(
    `${CONTROL_PREFIX}/notifications/:id/actions`,
    { preHandler: guard },
    async (request, reply) => {
      const body = optionalJsonObject(request, reply);
      if (!body) return reply;
      const { action, party_id: partyId, account_type: accountType } = body;
      if (typeof action !== 'string' || !(CONTROL_ACTIONS as readonly string[]).includes(action)) {
        return sendError(reply, 400, 'invalid_action', `action must be one of ${CONTROL_ACTIONS.join(', ')}`);
      }
      if (accountType !== undefined && !(ACCOUNT_TYPES as readonly unknown[]).includes(accountType)) {
        return sendError(reply, 400, 'invalid_account_type', `account_type must be one of ${ACCOUNT_TYPES.join(', ')}`);
      }
      if (action === 'choose_payment' && accountType === undefined) {
        return sendError(reply, 400, 'invalid_account_type', 'choose_payment needs account_type (CA, AC, PD or CK)');
      }
      if (partyId !== undefined && typeof partyId !== 'string') {
        return sendError(reply, 400, 'invalid_party', 'party_id must be a string');
      }
      const row = ownNotification(request, reply, request.params.id);
      if (!row) return reply;
      let actingRole: number | undefined;
      if (partyId !== undefined) {
        const party = store.parties(row.id).find((p) => p.party_id === partyId);
        if (!party) return sendError(reply, 404, 'party_not_found', 'no such party on this notification');
        actingRole = party.role;
      }
      const outcome = engine.act(row.id, row.participant_id, {
        action: action as ControlAction,
        ...(accountType === undefined ? {} : { accountType: accountType as AccountType }),
        ...(actingRole === undefined ? {} : { actingRole }),
      });
      if (!outcome) return sendError(reply, 404, 'not_found', 'no such notification for this participant');
      if (!outcome.ok) {
        return sendError(reply, 409, 'action_not_allowed', outcome.reason, {
          state: outcome.notification.state,
          status: lifecycleStatusOf(outcome.notification.state as MachineState),
        });
      }
      return { notification: notificationView(outcome.notification), events: outcome.events };
    },
  );

  app.get(`${CONTROL_PREFIX}/clock`, { preHandler: guard }, async () => {
    const now = clock.now();
    return { now: iso(now), now_ms: now, speed: clock.speed };
  });

  app.post(`${CONTROL_PREFIX}/clock/advance`, { preHandler: guard }, async (request, reply) => {
    const body = optionalJsonObject(request, reply);
    if (!body) return reply;
    const seconds = body.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_ADVANCE_SECONDS) {
      return sendError(reply, 400, 'invalid_seconds', 'seconds must be a positive number of at most ten years');
    }
    const { now, steps } = engine.advance(Math.round(seconds * 1000));
    request.log.info({ seconds, steps }, 'virtual clock advanced');
    return { now: iso(now), now_ms: now, speed: clock.speed, steps_run: steps };
  });

  app.get(`${CONTROL_PREFIX}/deliveries`, { preHandler: guard }, async (request, reply) => {
    const query = request.query as Record<string, string | undefined>;
    const notificationId = query.notification_id === undefined ? undefined : positiveInteger(query.notification_id);
    if (query.notification_id !== undefined && notificationId === undefined) {
      return sendError(reply, 400, 'invalid_query', 'notification_id must be a positive integer');
    }
    const status = query.status as DeliveryStatus | undefined;
    if (status !== undefined && !DELIVERY_STATUSES.includes(status)) {
      return sendError(reply, 400, 'invalid_query', `status must be one of ${DELIVERY_STATUSES.join(', ')}`);
    }
    const limit = query.limit === undefined ? 1000 : positiveInteger(query.limit);
    if (limit === undefined || limit > 5000) return sendError(reply, 400, 'invalid_query', 'limit must be 1–5000');
    const rows = store.listDeliveries({
      participantId: signer(request).participantId,
      ...(notificationId === undefined ? {} : { notificationId }),
      ...(status === undefined ? {} : { status }),
      ...(query.event_id === undefined ? {} : { eventId: query.event_id }),
      limit,
    });
    return {
      deliveries: rows.map((d) => ({
        event_id: d.event_id,
        notification_id: d.notification_id,
        topic: d.topic,
        url: d.url,
        status: d.status,
        attempts: d.attempts,
        next_attempt_at: iso(d.next_attempt_at),
        delivered_at: iso(d.delivered_at),
        last_http_status: d.last_http_status,
        last_error: d.last_error,
        attempt_log: store.attemptsOf(d.event_id).map((a) => ({
          attempt: a.attempt,
          url: a.url,
          started_at: iso(a.started_at),
          http_status: a.http_status,
          error: a.error,
          latency_ms: a.latency_ms,
          outcome: a.outcome,
          next_retry_at: iso(a.next_retry_at),
        })),
      })),
    };
  });

  app.post<{ Params: { eventId: string } }>(
    `${CONTROL_PREFIX}/deliveries/:eventId/redeliver`,
    { preHandler: guard },
    async (request, reply) => {
      const event = store.getEvent(request.params.eventId);
      const owner = event === undefined ? undefined : store.getNotification(event.notification_id);
      if (!event || !owner || owner.participant_id !== signer(request).participantId) {
        return sendError(reply, 404, 'not_found', 'no such event for this participant');
      }
      const url = config.webhookUrl ?? store.deliveriesOfEvent(event.id)[0]?.url;
      if (url === undefined) {
        return sendError(reply, 409, 'no_webhook_url', 'the sandbox was started without a webhook URL');
      }
      store.transaction(() => store.enqueueDelivery(event.id, url, Date.now()));
      ctx.delivery.watch(url);
      ctx.delivery.wake();
      return reply.code(202).send({ event_id: event.id, url, status: 'pending' });
    },
  );

  app.get(`${CONTROL_PREFIX}/webhook`, { preHandler: guard }, async () => ({
    url: config.webhookUrl,
    algorithm: config.webhookAlgorithm,
    encoding: config.webhookEncoding,
  }));

  // Lets a launcher start the sandbox first and point it at a receiver whose port is known only later.
  app.put(`${CONTROL_PREFIX}/webhook`, { preHandler: guard }, async (request, reply) => {
    const body = optionalJsonObject(request, reply);
    if (!body) return reply;
    let url: string | null = null;
    if (body.url !== null) {
      try {
        url = normalizeWebhookUrl(body.url);
      } catch {
        return sendError(reply, 400, 'invalid_url', 'url must be an absolute http(s) URL, or null');
      }
    }
    ctx.delivery.setWebhookUrl(url);
    request.log.info({ webhookUrl: url === null ? null : redactedUrl(url) }, 'webhook URL changed');
    return { url, algorithm: config.webhookAlgorithm, encoding: config.webhookEncoding };
  });

  app.post(`${CONTROL_PREFIX}/reset`, { preHandler: guard }, async (request, reply) => {
    if (!config.allowReset) {
      return sendError(reply, 403, 'reset_disabled', 'reset is disabled; start the sandbox with --allow-reset');
    }
    store.reset();
    request.log.warn({ by: signer(request).username }, 'sandbox reset: every disbursement and event deleted');
    return { reset: true };
  });
}
