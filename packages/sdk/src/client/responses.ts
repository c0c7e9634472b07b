// Ingo's response envelopes (docs/ingo-contract.md §2–5) parsed by hand into typed results, tolerating the
// string/number drift of §2; a business error becomes the IngoApiError subclass of its status range.

import { IngoApiError, IngoInProgressError, ResponseParseError } from '../errors.js';
import { driftNumber, driftString, isJsonObject, type JsonObject } from '../type-drift.js';

/** 104 "In Progress – Idempotent Response": the first request is still processing; not a finished answer. */
export const IN_PROGRESS_STATUS = 104;

/**
 * A finished success: 100–110 (100 success, 101 idempotent replay…) except 104, which is still in
 * progress, and 111–132, Ingo's soft verification results ("approved, proceed").
 */
export function isSuccessStatus(status: number): boolean {
  return status >= 100 && status <= 132 && status !== IN_PROGRESS_STATUS;
}

/** Statuses that answer with the data of an earlier request rather than creating anything. */
function isIdempotentReplay(status: number): boolean {
  return status === 101;
}

export interface IngoStatusLine {
  status: number;
  clientMessage: string;
  /** `v3`: `{status | status_code, client_message}` at the top; `v4`: `{response: {status, message}}`. */
  dialect: 'v3' | 'v4';
}

/** An integer status under `status`, or `status_code` (the ancillary check API's name, docs/ingo-contract.md §4.1). */
function statusOf(object: JsonObject): number | undefined {
  for (const value of [object.status, object.status_code]) {
    const n = driftNumber(value);
    if (n !== undefined && Number.isInteger(n)) return n;
  }
  return undefined;
}

/** Reads the Ingo status of a v3 or v4 envelope, or undefined when the body is not an envelope. */
export function readIngoStatus(body: unknown): IngoStatusLine | undefined {
  if (!isJsonObject(body)) return undefined;
  const v3 = statusOf(body);
  if (v3 !== undefined) {
    return {
      status: v3,
      clientMessage: driftString(body.client_message) ?? driftString(body.message) ?? '',
      dialect: 'v3',
    };
  }
  if (isJsonObject(body.response)) {
    const v4 = statusOf(body.response);
    if (v4 !== undefined) {
      return { status: v4, clientMessage: driftString(body.response.message) ?? '', dialect: 'v4' };
    }
  }
  return undefined;
}

export interface ResponseContext {
  /** HTTP status the body came with (default 200). */
  httpStatus?: number;
  /** The `X-Request-Id` the request was sent with, reported on errors. */
  requestId?: string;
}

/** The error of a status that is not a finished success: in progress (104), or the class of its range. */
export function ingoStatusError(
  line: IngoStatusLine,
  raw: unknown,
  httpStatus: number,
  requestId: string | undefined,
  attempts: number,
): IngoApiError {
  const init = { status: line.status, clientMessage: line.clientMessage, httpStatus, requestId, raw };
  return line.status === IN_PROGRESS_STATUS ? new IngoInProgressError(init, attempts) : IngoApiError.generate(init);
}

function successEnvelope(body: unknown, context: ResponseContext | undefined, what: string): IngoStatusLine {
  const httpStatus = context?.httpStatus ?? 200;
  const line = readIngoStatus(body);
  if (!line) throw new ResponseParseError(`Ingo's ${what} response is not an Ingo envelope`, httpStatus);
  if (!isSuccessStatus(line.status)) throw ingoStatusError(line, body, httpStatus, context?.requestId, 1);
  return line;
}

function requireString(value: unknown, field: string, what: string, httpStatus: number): string {
  const s = driftString(value);
  if (s === undefined || s === '') {
    throw new ResponseParseError(`Ingo's ${what} response has no usable ${field}`, httpStatus);
  }
  return s;
}

function asBody(body: unknown, what: string, httpStatus: number): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    throw new ResponseParseError(`Ingo's ${what} response is not JSON`, httpStatus);
  }
}

/** Result of `POST /gateway/v3/notify`: staged (not paid); the lifecycle continues through webhooks. */
export interface StageResult {
  status: number;
  clientMessage: string;
  /** Always a string, whatever JSON type Ingo used. */
  notificationId: string;
  /**
   * The tracer id the disbursement was staged with (needed to cancel it): Ingo's echo, else the one the
   * client sent — generated as `trc-<uuid>` when the request had none.
   */
  tracerId: string;
  participantUniqueId1: string;
  participantUniqueId2: string | undefined;
  /** Unix seconds. */
  requestTimestamp: number | undefined;
  /** Ingo's processing time in seconds, as sent (`time`). */
  time: string | undefined;
  /** True for 101: an earlier stage with the same participant_unique_id1 answered with its original data. */
  idempotentReplay: boolean;
  raw: unknown;
}

/** The parts of a successful v3 envelope (`{status, client_message, data, time}`) the v3 parsers read. */
function v3SuccessData(body: unknown, context: ResponseContext | undefined, what: string) {
  const httpStatus = context?.httpStatus ?? 200;
  const parsed = asBody(body, what, httpStatus);
  const line = successEnvelope(parsed, context, what);
  const envelope = parsed as JsonObject; // an envelope is an object: successEnvelope checked it
  const data = isJsonObject(envelope.data) ? envelope.data : undefined;
  if (!data) throw new ResponseParseError(`Ingo's ${what} response has no data object`, httpStatus);
  return { httpStatus, parsed, line, envelope, data };
}

/** Parses a v3 stage response (JSON text or parsed); a non-success status throws {@link IngoApiError}. */
export function parseStageResponse(body: unknown, context?: ResponseContext): StageResult {
  const { httpStatus, parsed, line, envelope, data } = v3SuccessData(body, context, 'stage');
  return {
    status: line.status,
    clientMessage: line.clientMessage,
    notificationId: requireString(data.notification_id, 'data.notification_id', 'stage', httpStatus),
    tracerId: driftString(data.tracer_id) ?? '',
    participantUniqueId1: driftString(data.participant_unique_id1) ?? '',
    participantUniqueId2: driftString(data.participant_unique_id2),
    requestTimestamp: driftNumber(data.request_timestamp),
    time: driftString(envelope.time),
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}

/** Result of `POST /gateway/v3/notifycancel`. */
export interface CancelResult {
  status: number;
  clientMessage: string;
  notificationId: string;
  participantUniqueId1: string;
  tracerId: string | undefined;
  requestTimestamp: number | undefined;
  /** True for 101: the disbursement was already canceled (by an earlier request): nothing new happened. */
  idempotentReplay: boolean;
  raw: unknown;
}

/** Parses a v3 cancel response; a refusal (780–787…) throws {@link IngoApiError}. */
export function parseCancelResponse(body: unknown, context?: ResponseContext): CancelResult {
  const { httpStatus, parsed, line, data } = v3SuccessData(body, context, 'cancel');
  return {
    status: line.status,
    clientMessage: line.clientMessage,
    notificationId: requireString(data.notification_id, 'data.notification_id', 'cancel', httpStatus),
    participantUniqueId1: driftString(data.participant_unique_id1) ?? '',
    tracerId: driftString(data.tracer_id),
    requestTimestamp: driftNumber(data.request_timestamp),
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}

/** Result of `POST /gateway/checkcancel` (void) or `POST /gateway/checkstop` (stop payment). */
export interface CheckActionResult {
  /** Ingo's status, read from `status_code` (the check API's name) or `status`. */
  status: number;
  clientMessage: string;
  notificationId: string;
  participantUniqueId1: string;
  tracerId: string | undefined;
  checkNumber: string | undefined;
  /** The reason code the action was taken with, as Ingo echoes it. */
  reasonCode: string | undefined;
  requestTimestamp: number | undefined;
  /** True for 101: the check was already voided / stopped by an earlier request. */
  idempotentReplay: boolean;
  raw: unknown;
}

/** Parses a check void/stop response (status in `status_code`); a refusal throws {@link IngoApiError}. */
export function parseCheckActionResponse(
  body: unknown,
  context?: ResponseContext,
  what: 'check cancel' | 'check stop' = 'check cancel',
): CheckActionResult {
  const { httpStatus, parsed, line, data } = v3SuccessData(body, context, what);
  return {
    status: line.status,
    clientMessage: line.clientMessage,
    notificationId: requireString(data.notification_id, 'data.notification_id', what, httpStatus),
    participantUniqueId1: driftString(data.participant_unique_id1) ?? '',
    tracerId: driftString(data.tracer_id),
    checkNumber: driftString(data.check_number),
    reasonCode: driftString(data.reason_code),
    requestTimestamp: driftNumber(data.request_timestamp),
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}

export interface ManagedPartyResult {
  clientProvidedId: string;
  /** Ingo's UUID for the party; webhooks name parties by it. */
  partyId: string;
  /** 0 recipient, 1 approver, 2 interested party; undefined when Ingo's answer leaves it out. */
  role: number | undefined;
  /** The party object exactly as Ingo sent it, fields the SDK does not model included. */
  raw: JsonObject;
}

/** Result of `POST /gateway/v4/notify`. */
export interface ManagedStageResult {
  status: number;
  message: string;
  notificationId: string;
  /** As {@link StageResult.tracerId}: Ingo's echo, else the tracer id the client sent or generated. */
  tracerId: string;
  participantUniqueIds: { participantUniqueId1: string; participantUniqueId2: string | undefined };
  parties: ManagedPartyResult[];
  idempotentReplay: boolean;
  raw: unknown;
}

/** Parses a v4 stage response (whose numbers arrive as strings); a non-success status throws. */
export function parseManagedStageResponse(body: unknown, context?: ResponseContext): ManagedStageResult {
  const httpStatus = context?.httpStatus ?? 200;
  const parsed = asBody(body, 'managed stage', httpStatus);
  const line = successEnvelope(parsed, context, 'managed stage');
  const envelope = parsed as JsonObject; // an envelope is an object: successEnvelope checked it
  const transaction = isJsonObject(envelope.transaction) ? envelope.transaction : undefined;
  if (!transaction) throw new ResponseParseError("Ingo's managed stage response has no transaction object", httpStatus);
  const ids = isJsonObject(transaction.participant_unique_ids) ? transaction.participant_unique_ids : {};
  const partiesRaw = Array.isArray(transaction.parties) ? transaction.parties : [];
  // Ingo's published example is cut short: parties are read by client_provided_id and party_id only.
  const parties = partiesRaw.filter(isJsonObject).map((p, i) => {
    const role = driftNumber(p.role);
    return {
      clientProvidedId: driftString(p.client_provided_id) ?? '',
      partyId: requireString(p.party_id, `transaction.parties.${i}.party_id`, 'managed stage', httpStatus),
      role: role !== undefined && Number.isInteger(role) ? role : undefined,
      raw: p,
    };
  });
  return {
    status: line.status,
    message: line.clientMessage,
    notificationId: requireString(
      transaction.notification_id,
      'transaction.notification_id',
      'managed stage',
      httpStatus,
    ),
    tracerId: driftString(transaction.tracer_id) ?? '',
    participantUniqueIds: {
      participantUniqueId1: driftString(ids.participant_unique_id1) ?? '',
      participantUniqueId2: driftString(ids.participant_unique_id2),
    },
    parties,
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}
