// Ingo's response envelopes (docs/ingo-contract.md §2–5) parsed by hand into typed results, tolerating the
// string/number drift of §2; a business error becomes the IngoApiError subclass of its status range.

import { IngoApiError, ResponseParseError } from '../errors.js';
import { driftNumber, driftString, isJsonObject, type JsonObject } from '../type-drift.js';

/** Ingo's success family: 100 success, 101 idempotent replay, 104 in progress (idempotent). */
export function isSuccessStatus(status: number): boolean {
  return status >= 100 && status <= 110;
}

/** Statuses that answer with the data of an earlier request rather than creating anything. */
function isIdempotentReplay(status: number): boolean {
  return status === 101 || status === 104;
}

export interface IngoStatusLine {
  status: number;
  clientMessage: string;
  /** `v3`: `{status, client_message}` at the top; `v4`: `{response: {status, message}}`. */
  dialect: 'v3' | 'v4';
}

/** Reads the Ingo status of a v3 or v4 envelope, or undefined when the body is not an envelope. */
export function readIngoStatus(body: unknown): IngoStatusLine | undefined {
  if (!isJsonObject(body)) return undefined;
  const v3 = driftNumber(body.status);
  if (v3 !== undefined && Number.isInteger(v3)) {
    return {
      status: v3,
      clientMessage: driftString(body.client_message) ?? driftString(body.message) ?? '',
      dialect: 'v3',
    };
  }
  if (isJsonObject(body.response)) {
    const v4 = driftNumber(body.response.status);
    if (v4 !== undefined && Number.isInteger(v4)) {
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

function successEnvelope(body: unknown, context: ResponseContext | undefined, what: string): IngoStatusLine {
  const httpStatus = context?.httpStatus ?? 200;
  const line = readIngoStatus(body);
  if (!line) throw new ResponseParseError(`Ingo's ${what} response is not an Ingo envelope`, httpStatus);
  if (!isSuccessStatus(line.status)) {
    throw IngoApiError.generate({
      status: line.status,
      clientMessage: line.clientMessage,
      httpStatus,
      requestId: context?.requestId,
      raw: body,
    });
  }
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
  tracerId: string | undefined;
  participantUniqueId1: string;
  participantUniqueId2: string | undefined;
  /** Unix seconds. */
  requestTimestamp: number | undefined;
  /** Ingo's processing time in seconds, as sent (`time`). */
  time: string | undefined;
  /** True for 101 (and 104): an earlier stage with the same participant_unique_id1 answered. */
  idempotentReplay: boolean;
  raw: unknown;
}

/** The parts of a successful v3 envelope (`{status, client_message, data, time}`) both parsers read. */
function v3SuccessData(body: unknown, context: ResponseContext | undefined, what: 'stage' | 'cancel') {
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
    tracerId: driftString(data.tracer_id),
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
  /** True for 101: the disbursement was already canceled by an earlier request. */
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

export interface ManagedPartyResult {
  clientProvidedId: string;
  /** Ingo's UUID for the party; webhooks name parties by it. */
  partyId: string;
  role: number;
}

/** Result of `POST /gateway/v4/notify`. */
export interface ManagedStageResult {
  status: number;
  message: string;
  notificationId: string;
  tracerId: string | undefined;
  participantUniqueIds: { participantUniqueId1: string; participantUniqueId2: string | undefined };
  parties: ManagedPartyResult[];
  idempotentReplay: boolean;
  raw: unknown;
}

function requireRole(value: unknown, index: number, httpStatus: number): number {
  const role = driftNumber(value);
  if (role === undefined || !Number.isInteger(role)) {
    throw new ResponseParseError(
      `Ingo's managed stage response has no usable transaction.parties.${index}.role`,
      httpStatus,
    );
  }
  return role;
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
  const parties = partiesRaw.filter(isJsonObject).map((p, i) => ({
    clientProvidedId: driftString(p.client_provided_id) ?? '',
    partyId: requireString(p.party_id, `transaction.parties.${i}.party_id`, 'managed stage', httpStatus),
    role: requireRole(p.role, i, httpStatus),
  }));
  return {
    status: line.status,
    message: line.clientMessage,
    notificationId: requireString(
      transaction.notification_id,
      'transaction.notification_id',
      'managed stage',
      httpStatus,
    ),
    tracerId: driftString(transaction.tracer_id),
    participantUniqueIds: {
      participantUniqueId1: driftString(ids.participant_unique_id1) ?? '',
      participantUniqueId2: driftString(ids.participant_unique_id2),
    },
    parties,
    idempotentReplay: isIdempotentReplay(line.status),
    raw: parsed,
  };
}
