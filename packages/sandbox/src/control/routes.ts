// The /_sandbox control API of the sandbox README: what Ingo's hosted pages let recipients do, as HTTP calls,
// plus the clock, inspection, the delivery log, redelivery and reset. Every call is signed exactly like
// a gateway call (same credentials, verifyRequestSignature) and sees only the signer's disbursements.
// Because a GET has no body, control calls need not sign content-length (it is verified when signed).
// Failures are thrown as jsonError (`{"error": {"code", "message"}}`) for the one error handler.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ResolvedCredential } from '../config/credentials.js';
import { normalizeWebhookUrl, redactedUrl } from '../config/webhook-url.js';
import type { SandboxContext } from '../http/context.js';
import { jsonError } from '../http/errors.js';
import { readJsonObject } from '../http/json-body.js';
import { rawBody, signatureGuard } from '../http/signature-guard.js';
import {
  ACCOUNT_TYPES,
  type AccountType,
  CONTROL_ACTIONS,
  type ControlAction,
  lifecycleStatusOf,
  type MachineState,
} from '../simulation/machine.js';
import type { DeliveryStatus, NotificationRow } from '../store/rows.js';
import { deliveryJson, iso, notificationJson } from './views.js';

const CONTROL_PREFIX = '/_sandbox';
/** Headers a control call must sign (content-length too when the client lists it). */
export const CONTROL_REQUIRED_SIGNED_HEADERS = ['request-line', 'x-date', 'content-sha512'] as const;

const MAX_ADVANCE_SECONDS = 10 * 366 * 86_400;
const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'exhausted'];

function signer(request: FastifyRequest): ResolvedCredential {
  if (request.credential === null) throw new Error('control route registered without the signature guard');
  return request.credential;
}

/** A control body: absent, or a JSON object. */
function optionalJsonObject(request: FastifyRequest): Record<string, unknown> {
  if (rawBody(request).byteLength === 0) return {};
  const json = readJsonObject(request);
  if (!json.ok) throw jsonError(json.httpStatus, 'invalid_body', json.message);
  return json.value;
}

function positiveInteger(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 ? n : undefined;
}

/**
 * The query as single strings: a parameter given twice (`?state=a&state=b`, which Fastify parses into an
 * array) is a 400, not an array passed on to the store (found by the reliability suite's fuzzing: 500).
 */
function singleValuedQuery(request: FastifyRequest): Record<string, string | undefined> {
  const query = request.query as Record<string, string | string[] | undefined>;
  for (const [name, value] of Object.entries(query)) {
    if (Array.isArray(value)) throw jsonError(400, 'invalid_query', `${name} must be given once`);
  }
  return query as Record<string, string | undefined>;
}

const notFound = () => jsonError(404, 'not_found', 'no such notification for this participant');

export function registerControlRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  const { store, clock, engine, config } = ctx;
  const guard = signatureGuard(ctx, { requiredHeaders: CONTROL_REQUIRED_SIGNED_HEADERS });

  function ownNotification(request: FastifyRequest, idText: string): NotificationRow {
    const id = positiveInteger(idText);
    const row = id === undefined ? undefined : store.getNotification(id);
    if (!row || row.participant_id !== signer(request).participantId) throw notFound();
    return row;
  }

  app.get(`${CONTROL_PREFIX}/notifications`, { preHandler: guard }, async (request) => {
    const query = singleValuedQuery(request);
    const limit = query.limit === undefined ? 100 : positiveInteger(query.limit);
    if (limit === undefined || limit > 1000) throw jsonError(400, 'invalid_query', 'limit must be 1–1000');
    const rows = store.listNotifications(
      signer(request).participantId,
      query.participant_unique_id1 ?? null,
      query.state ?? null,
      limit,
    );
    return { notifications: rows.map((row) => notificationJson(store, row)) };
  });

  app.get<{ Params: { id: string } }>(`${CONTROL_PREFIX}/notifications/:id`, { preHandler: guard }, async (request) =>
    notificationJson(store, ownNotification(request, request.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    `${CONTROL_PREFIX}/notifications/:id/actions`,
    { preHandler: guard },
    async (request) => {
      const { action, party_id: partyId, account_type: accountType } = optionalJsonObject(request);
      if (typeof action !== 'string' || !(CONTROL_ACTIONS as readonly string[]).includes(action)) {
        throw jsonError(400, 'invalid_action', `action must be one of ${CONTROL_ACTIONS.join(', ')}`);
      }
      if (accountType !== undefined && !(ACCOUNT_TYPES as readonly unknown[]).includes(accountType)) {
        throw jsonError(400, 'invalid_account_type', `account_type must be one of ${ACCOUNT_TYPES.join(', ')}`);
      }
      if (action === 'choose_payment' && accountType === undefined) {
        throw jsonError(400, 'invalid_account_type', 'choose_payment needs account_type (CA, AC, PD or CK)');
      }
      if (partyId !== undefined && typeof partyId !== 'string') {
        throw jsonError(400, 'invalid_party', 'party_id must be a string');
      }
      const row = ownNotification(request, request.params.id);
      let actingRole: number | undefined;
      if (partyId !== undefined) {
        const party = store.parties(row.id).find((p) => p.party_id === partyId);
        if (!party) throw jsonError(404, 'party_not_found', 'no such party on this notification');
        actingRole = party.role;
      }
      const outcome = engine.act(row.id, row.participant_id, {
        action: action as ControlAction,
        ...(accountType === undefined ? {} : { accountType: accountType as AccountType }),
        ...(actingRole === undefined ? {} : { actingRole, actingPartyId: partyId }),
      });
      if (!outcome) throw notFound();
      if (!outcome.ok) {
        throw jsonError(409, 'action_not_allowed', outcome.reason, {
          state: outcome.notification.state,
          status: lifecycleStatusOf(outcome.notification.state as MachineState),
        });
      }
      return { notification: notificationJson(store, outcome.notification), events: outcome.events };
    },
  );

  app.get(`${CONTROL_PREFIX}/clock`, { preHandler: guard }, async () => {
    const now = clock.now();
    return { now: iso(now), now_ms: now, speed: clock.speed };
  });

  app.post(`${CONTROL_PREFIX}/clock/advance`, { preHandler: guard }, async (request) => {
    const { seconds } = optionalJsonObject(request);
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_ADVANCE_SECONDS) {
      throw jsonError(400, 'invalid_seconds', 'seconds must be a positive number of at most ten years');
    }
    const { now, steps } = engine.advance(Math.round(seconds * 1000));
    request.log.info({ seconds, steps }, 'virtual clock advanced');
    return { now: iso(now), now_ms: now, speed: clock.speed, steps_run: steps };
  });

  app.get(`${CONTROL_PREFIX}/deliveries`, { preHandler: guard }, async (request) => {
    const query = singleValuedQuery(request);
    const notificationId = query.notification_id === undefined ? undefined : positiveInteger(query.notification_id);
    if (query.notification_id !== undefined && notificationId === undefined) {
      throw jsonError(400, 'invalid_query', 'notification_id must be a positive integer');
    }
    const status = query.status as DeliveryStatus | undefined;
    if (status !== undefined && !DELIVERY_STATUSES.includes(status)) {
      throw jsonError(400, 'invalid_query', `status must be one of ${DELIVERY_STATUSES.join(', ')}`);
    }
    const limit = query.limit === undefined ? 1000 : positiveInteger(query.limit);
    if (limit === undefined || limit > 5000) throw jsonError(400, 'invalid_query', 'limit must be 1–5000');
    const rows = store.listDeliveries({
      participantId: signer(request).participantId,
      ...(notificationId === undefined ? {} : { notificationId }),
      ...(status === undefined ? {} : { status }),
      ...(query.event_id === undefined ? {} : { eventId: query.event_id }),
      limit,
    });
    return { deliveries: rows.map((d) => deliveryJson(store, d)) };
  });

  app.post<{ Params: { eventId: string } }>(
    `${CONTROL_PREFIX}/deliveries/:eventId/redeliver`,
    { preHandler: guard },
    async (request, reply) => {
      const event = store.getEvent(request.params.eventId);
      const owner = event === undefined ? undefined : store.getNotification(event.notification_id);
      if (!event || !owner || owner.participant_id !== signer(request).participantId) {
        throw jsonError(404, 'not_found', 'no such event for this participant');
      }
      const url = config.webhookUrl ?? store.deliveriesOfEvent(event.id)[0]?.url;
      if (url === undefined) throw jsonError(409, 'no_webhook_url', 'the sandbox was started without a webhook URL');
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
  app.put(`${CONTROL_PREFIX}/webhook`, { preHandler: guard }, async (request) => {
    const body = optionalJsonObject(request);
    let url: string | null = null;
    if (body.url !== null) {
      try {
        url = normalizeWebhookUrl(body.url);
      } catch {
        throw jsonError(400, 'invalid_url', 'url must be an absolute http(s) URL, or null');
      }
    }
    ctx.delivery.setWebhookUrl(url);
    request.log.info({ webhookUrl: url === null ? null : redactedUrl(url) }, 'webhook URL changed');
    return { url, algorithm: config.webhookAlgorithm, encoding: config.webhookEncoding };
  });

  app.post(`${CONTROL_PREFIX}/reset`, { preHandler: guard }, async (request) => {
    if (!config.allowReset) {
      throw jsonError(403, 'reset_disabled', 'reset is disabled; start the sandbox with --allow-reset');
    }
    store.reset();
    request.log.warn({ by: signer(request).username }, 'sandbox reset: every disbursement and event deleted');
    return { reset: true };
  });
}
