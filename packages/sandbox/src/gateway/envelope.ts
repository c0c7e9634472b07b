// The v3 response envelope of docs/ingo-contract.md §2 and the status codes the sandbox answers with. Business
// outcomes (including business errors) are HTTP 200; request-shape errors are HTTP 4xx with the same
// envelope, so a client always finds `status` and `client_message`.

import type { ValidationIssue } from '@notifykit/sdk';
import { SandboxHttpError } from '../http/errors.js';

export const INGO_STATUS = {
  success: 100,
  idempotentReplay: 101,
  /** Parameters incorrect: the body's participant_id is not the signer's. */
  parametersIncorrect: 401,
  fieldValidation: 600,
  reusedUniqueId: 601,
  velocity: 610,
  cancelClaimed: 780,
  cancelTerminal: 781,
  notFound: 782,
  cancelMismatch: 783,
  /** Decision: a check void or stop on a disbursement without an issued check. */
  noIssuedCheck: 784,
} as const;

export interface V3Envelope {
  status: number;
  client_message: string;
  data: Record<string, unknown>;
  /** Processing time in seconds, as a string (Ingo's `"0.85"`). */
  time: string;
}

export function envelope(
  status: number,
  clientMessage: string,
  data: Record<string, unknown>,
  startedAt: number,
): V3Envelope {
  return {
    status,
    client_message: clientMessage,
    data,
    time: ((performance.now() - startedAt) / 1000).toFixed(2),
  };
}

/** The cancel answer as Ingo's example shows it: the v3 envelope without `time` (docs/ingo-contract.md §6.1). */
export function cancelEnvelope(status: number, clientMessage: string, data: Record<string, unknown>) {
  return { status, client_message: clientMessage, data };
}

/** The check API's answer: the outcome in `status_code`, not `status` (docs/ingo-contract.md §4.1), and no `time`. */
export function checkEnvelope(statusCode: number, clientMessage: string, data: Record<string, unknown>) {
  return { status_code: statusCode, client_message: clientMessage, data };
}

/** How a route words a request-shape failure: the v3 envelope, or the check API's. */
export type GatewayFailure = (
  httpStatus: number,
  status: number,
  clientMessage: string,
  data: Record<string, unknown>,
  startedAt: number,
) => SandboxHttpError;

/** A check API request-shape failure: its status in `status_code`, like every check answer. */
export const checkGatewayError: GatewayFailure = (httpStatus, status, clientMessage, data) =>
  new SandboxHttpError(httpStatus, checkEnvelope(status, clientMessage, data));

/** A request-shape failure (HTTP 4xx) in the envelope, thrown for the error handler to send. */
export function gatewayError(
  httpStatus: number,
  status: number,
  clientMessage: string,
  data: Record<string, unknown>,
  startedAt: number,
): SandboxHttpError {
  return new SandboxHttpError(httpStatus, envelope(status, clientMessage, data, startedAt));
}

/** `client_message` of a 600: names the field and the rule of the first issue (values never appear). */
export function validationMessage(issues: readonly ValidationIssue[]): string {
  const [first] = issues;
  if (first === undefined) return 'Field validation failed';
  const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : '';
  return `Field validation failed: ${first.path || '(body)'} ${first.message} (rule: ${first.rule})${more}`;
}
