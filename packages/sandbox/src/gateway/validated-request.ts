// The preamble every gateway route shares after the signature check: JSON object, schema validation
// (the SDK's zod schemas, under the signer's program rules), and the participant check. Each failure is
// thrown with its own status and message (gatewayError), and nothing has been written when it happens.

import { ValidationError } from '@notifykit/sdk';
import type { FastifyRequest } from 'fastify';
import type { ResolvedCredential } from '../config/credentials.js';
import { readJsonObject } from '../http/json-body.js';
import { type GatewayFailure, gatewayError, INGO_STATUS, validationMessage } from './envelope.js';

export interface ValidatedRequest<T> {
  body: T;
  credential: ResolvedCredential;
}

/**
 * Returns the validated body or throws the gateway's answer. `participantOf` reads the participant id
 * out of the validated body (v3 and v4 keep it in different places); `fail` words the failure in the
 * route's envelope (the v3 one by default).
 */
export function validatedRequest<T>(
  request: FastifyRequest,
  startedAt: number,
  validate: (body: unknown, credential: ResolvedCredential) => T,
  participantOf: (body: T) => number,
  fail: GatewayFailure = gatewayError,
): ValidatedRequest<T> {
  const credential = request.credential;
  if (credential === null) throw new Error('gateway route registered without the signature guard');
  const json = readJsonObject(request);
  if (!json.ok) throw fail(json.httpStatus, INGO_STATUS.fieldValidation, json.message, {}, startedAt);
  let body: T;
  try {
    body = validate(json.value, credential);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const message = validationMessage(error.issues);
    throw fail(400, INGO_STATUS.fieldValidation, message, { errors: error.issues }, startedAt);
  }
  if (participantOf(body) !== credential.participantId) {
    throw fail(
      400,
      INGO_STATUS.parametersIncorrect,
      'participant_id is not the participant of the signing credentials',
      { errors: [{ path: 'participant_id', rule: 'participant', message: 'must be your own participant id' }] },
      startedAt,
    );
  }
  return { body, credential };
}

/** The SDK's program rules for a credential. */
export function programRulesOf(credential: ResolvedCredential) {
  return { otac: credential.otac, requireEmail: credential.requireEmail, strictContact: credential.strictContact };
}
