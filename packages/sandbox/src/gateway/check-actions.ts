// POST /gateway/checkcancel and POST /gateway/checkstop (docs/ingo-contract.md §4.1): Ingo's ancillary check API,
// which the sandbox supports for Notify checks (a Decision). A check is located like a cancel
// (participant_unique_id1 + tracer_id, with notification_id and check_number as optional extra
// locators). Voiding needs an issued check and emits `…check.canceled` with the reason; stopping emits
// `…check.stopped`; either is followed by Ingo's explicit termination (the sandbox reissues nothing).
// Answers carry the outcome in `status_code`: 100 done, 101 the same action repeated (original data),
// 782 not found, 783 check_number differs, 784 no issued check, 781 already terminal.

import {
  type CheckCancelRequest,
  type CheckStopRequest,
  validateCheckCancelRequest,
  validateCheckStopRequest,
} from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import { signatureGuard } from '../http/signature-guard.js';
import type { EmittedEvent } from '../simulation/engine.js';
import { isTerminal, type MachineState } from '../simulation/machine.js';
import { checkNumberOf } from '../simulation/payloads.js';
import type { NotificationRow } from '../store/rows.js';
import { checkEnvelope, checkGatewayError, INGO_STATUS } from './envelope.js';
import { locateStaged, NOT_FOUND } from './locate-staged.js';
import { validatedRequest } from './validated-request.js';

export const CHECK_CANCEL_PATH = '/gateway/checkcancel';
export const CHECK_STOP_PATH = '/gateway/checkstop';

type CheckRequest = CheckCancelRequest | CheckStopRequest;

type CheckOutcome =
  | { kind: 'done'; row: NotificationRow; data: Record<string, unknown>; events: EmittedEvent[] }
  | { kind: 'replay'; data: Record<string, unknown> }
  | { kind: 'refused'; status: number; message: string };

interface CheckRoute {
  path: typeof CHECK_CANCEL_PATH | typeof CHECK_STOP_PATH;
  validate: (body: unknown) => CheckRequest;
  action: 'void_check' | 'stop_check';
  done: string;
}

const ROUTES: readonly CheckRoute[] = [
  { path: CHECK_CANCEL_PATH, validate: validateCheckCancelRequest, action: 'void_check', done: 'Check Canceled' },
  { path: CHECK_STOP_PATH, validate: validateCheckStopRequest, action: 'stop_check', done: 'Check Stopped' },
];

export function registerCheckActions(app: FastifyInstance, ctx: SandboxContext): void {
  for (const route of ROUTES) registerCheckAction(app, ctx, route);
}

function registerCheckAction(app: FastifyInstance, ctx: SandboxContext, route: CheckRoute): void {
  const { store, clock, engine } = ctx;

  app.post(route.path, { preHandler: signatureGuard(ctx) }, async (request, reply) => {
    const startedAt = performance.now();
    const { body, credential } = validatedRequest(
      request,
      startedAt,
      (body) => route.validate(body),
      (body: CheckRequest) => body.participant_id,
      checkGatewayError,
    );

    const outcome = await store.batched((): CheckOutcome => {
      const row = locateStaged(store, credential.participantId, body);
      if (!row) return NOT_FOUND;
      const checkNumber = checkNumberOf({ id: row.id, sessionId: row.session_id });
      if (body.check_number !== undefined && body.check_number !== checkNumber) {
        return {
          kind: 'refused',
          status: INGO_STATUS.cancelMismatch,
          message: 'check_number does not match the check issued for this disbursement',
        };
      }
      if (row.check_action_json !== null) {
        const earlier = JSON.parse(row.check_action_json) as { path: string; data: Record<string, unknown> };
        if (earlier.path === route.path) return { kind: 'replay', data: earlier.data };
      }
      const state = row.state as MachineState;
      if (state !== 'check_issued') {
        return isTerminal(state)
          ? {
              kind: 'refused',
              status: INGO_STATUS.cancelTerminal,
              message: `Check action refused: the disbursement is already in a terminal state (${state})`,
            }
          : {
              kind: 'refused',
              status: INGO_STATUS.noIssuedCheck,
              message:
                state === 'check_chosen'
                  ? 'Check action refused: the check has not been issued yet'
                  : 'Check action refused: the recipient did not choose a mailed check',
            };
      }
      const now = clock.now();
      const reasonCode = String(body.reason_code);
      const applied = engine.applyInTransaction(row, { action: route.action, reasonCode }, now);
      if (!applied.ok) throw new Error(`check action on an issued check refused: ${applied.reason}`);
      const data = {
        notification_id: String(row.id),
        participant_unique_id1: row.puid1,
        tracer_id: row.tracer_id,
        check_number: checkNumber,
        reason_code: reasonCode,
        request_timestamp: Math.floor(now / 1000),
      };
      store.updateNotification(row.id, { check_action_json: JSON.stringify({ path: route.path, data }) });
      return { kind: 'done', row: applied.notification, data, events: applied.events };
    });

    switch (outcome.kind) {
      case 'done':
        engine.committed(outcome, outcome.row);
        request.log.info({ notificationId: outcome.row.id, path: route.path }, 'check action applied');
        return reply.send(checkEnvelope(INGO_STATUS.success, route.done, outcome.data));
      case 'replay':
        return reply.send(
          checkEnvelope(INGO_STATUS.idempotentReplay, `${route.done} - Idempotent Response`, outcome.data),
        );
      case 'refused':
        return reply.send(checkEnvelope(outcome.status, outcome.message, {}));
    }
  });
}
