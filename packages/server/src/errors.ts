// The server's error vocabulary: every failure a caller can be told about, each a class with a stable
// `code` (the API contract) and a message safe to show. Any layer throws these; none of them knows an
// HTTP status. `http/error-handler.ts` is the one place that maps codes to statuses and writes the body
// `{error: {code, message, details?}}`. Anything else that escapes is a bug and leaves as a 500.

/** Every code an error of this module can carry; `http/error-handler.ts` maps each to a status. */
export type ErrorCode =
  | 'validation_failed'
  | 'invalid_query'
  | 'invalid_id'
  | 'invalid_cursor'
  | 'invalid_idempotency_key'
  | 'idempotency_key_mismatch'
  | 'unknown_participant'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'not_found'
  | 'idempotency_key_reused'
  | 'cancel_refused'
  | 'cancel_refused_by_ingo'
  | 'ingo_unavailable'
  | 'cancel_not_recorded'
  | 'check_action_refused'
  | 'check_action_refused_by_ingo'
  | 'missing_signature'
  | 'invalid_signature'
  | 'malformed_json'
  | 'not_an_envelope'
  | 'invalid_webhook'
  | 'not_committed';

/** A problem in one part of a request, named by its path; never carries the submitted value. */
interface RequestIssue {
  path: string;
  message: string;
  rule?: string;
}

/** The base of every reported error: a stable code, a message and optional structured details. */
export abstract class ApiError extends Error {
  abstract readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

// --- bad requests -----------------------------------------------------------------------------------

/** The body, a query parameter or a path parameter is not acceptable; `issues` name the parts. */
export class InvalidRequest extends ApiError {
  constructor(
    readonly code: 'validation_failed' | 'invalid_query' | 'invalid_id' | 'invalid_cursor',
    message: string,
    details?: { issues?: readonly RequestIssue[] } & Record<string, unknown>,
  ) {
    super(message, details);
  }
}

export class InvalidIdempotencyKey extends ApiError {
  readonly code = 'invalid_idempotency_key';
}

export class IdempotencyKeyMismatch extends ApiError {
  readonly code = 'idempotency_key_mismatch';
}

export class UnknownParticipant extends ApiError {
  readonly code = 'unknown_participant';
}

export class Unauthorized extends ApiError {
  readonly code = 'unauthorized';
}

// --- disbursements ----------------------------------------------------------------------------------

/** Authenticated, but this caller may not do this (the read-only token acting, a missing CSRF token). */
export class Forbidden extends ApiError {
  readonly code = 'forbidden';
}

/** Too many attempts from one address (dashboard sign-in); `details.retry_after_s` tells when to retry. */
export class RateLimited extends ApiError {
  readonly code = 'rate_limited';
}

export class DisbursementNotFound extends ApiError {
  readonly code = 'not_found';
  constructor(id: string) {
    super(`no disbursement ${id}`);
  }
}

/** The Idempotency-Key was used before for a disbursement with other data. */
export class IdempotencyKeyReused extends ApiError {
  readonly code = 'idempotency_key_reused';
  constructor(disbursementId: string) {
    super(
      'participant_unique_id1 (Idempotency-Key) was already used for a disbursement with a different amount or recipient',
      { disbursement_id: disbursementId },
    );
  }
}

/** An action on a payout refused here, before asking Ingo, naming the status that stands in the way. */
abstract class RefusedHere extends ApiError {
  constructor(
    message: string,
    readonly status: string,
  ) {
    super(message, { status });
  }
}

/**
 * Ingo answered an action with an error status. `because` says whether the payout's state at Ingo
 * refused it (a conflict: our view lagged Ingo's) or the request itself was refused.
 */
abstract class RefusedByIngo extends ApiError {
  /** What was refused, as the message names it. */
  static readonly action: string = 'action';
  constructor(
    clientMessage: string,
    readonly because: 'state' | 'request',
    details: { ingo_status: number; status: string },
  ) {
    super(`Ingo refused the ${(new.target as typeof RefusedByIngo).action}: ${clientMessage}`, details);
  }
}

/** Refused here: the status does not allow a cancel (lifecycle.md §Cancel). */
export class CancelNotAllowed extends RefusedHere {
  readonly code = 'cancel_refused';
}

/** Ingo answered the cancel with an error status (780–787, or a request error). */
export class CancelRefusedByIngo extends RefusedByIngo {
  static override readonly action = 'cancel';
  readonly code = 'cancel_refused_by_ingo';
}

/**
 * Refused here: the payout is not one whose recipient chose a mailed check, or its status no longer
 * allows voiding or stopping the check (docs/ingo-contract.md §4.1).
 */
export class CheckActionNotAllowed extends RefusedHere {
  readonly code = 'check_action_refused';
}

/** Ingo's check API answered the void or stop with an error status (in `status_code`). */
export class CheckActionRefusedByIngo extends RefusedByIngo {
  static override readonly action = 'check action';
  readonly code = 'check_action_refused_by_ingo';
}

/** Ingo could not be reached; nothing changed. */
export class IngoUnavailable extends ApiError {
  readonly code = 'ingo_unavailable';
}

/** Ingo accepted a cancel but recording it here failed: the one failure where "nothing changed" is false. */
export class CancelNotRecorded extends ApiError {
  readonly code = 'cancel_not_recorded';
}

// --- webhooks ---------------------------------------------------------------------------------------

/** A webhook whose signature is absent or wrong: nothing is stored. */
export class WebhookUnauthenticated extends ApiError {
  constructor(
    readonly code: 'missing_signature' | 'invalid_signature',
    message: string,
  ) {
    super(message);
  }
}

/** A correctly signed webhook that is not an Ingo event: nothing is stored. */
export class WebhookRejected extends ApiError {
  constructor(
    readonly code: 'malformed_json' | 'not_an_envelope' | 'invalid_webhook',
    message: string,
  ) {
    super(message);
  }
}

/** A verified webhook could not be committed: not acknowledged, so Ingo retries it. */
export class WebhookNotCommitted extends ApiError {
  readonly code = 'not_committed';
  constructor(cause: unknown) {
    super('the event could not be stored; Ingo will retry', undefined, { cause });
  }
}
