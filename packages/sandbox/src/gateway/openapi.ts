// GET /openapi.json: the OpenAPI 3.1 document of the gateway, generated from the very zod schemas that
// validate requests (the SDK's), so documentation and enforcement cannot drift apart.

import {
  cancelRequestSchema,
  checkCancelRequestSchema,
  checkStopRequestSchema,
  managedStageRequestSchema,
  stageRequestSchema,
} from '@notifykit/sdk';
import { CANCEL_V3_PATH } from './cancel-v3.js';
import { CHECK_CANCEL_PATH, CHECK_STOP_PATH } from './check-actions.js';
import { INGO_STATUS } from './envelope.js';
import { STAGE_V3_PATH } from './notify-v3.js';
import { STAGE_V4_PATH } from './notify-v4.js';

type JsonSchema = Record<string, unknown>;

function toComponent(schema: { toJSONSchema(params?: object): object }): JsonSchema {
  // Refinements (exactly one name form, OTAC-dependent rules) are not representable and are described
  // in the schema's description instead; the document is about the wire shape.
  const { $schema: _dialect, ...rest } = schema.toJSONSchema({ io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

const envelopeSchema = (data: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['status', 'client_message', 'data', 'time'],
  properties: {
    status: { type: 'integer', description: 'Ingo status code (docs/ingo-contract.md §2)' },
    client_message: { type: 'string' },
    data,
    time: { type: 'string', description: 'Processing time in seconds', examples: ['0.02'] },
  },
});

/** The cancel answer, as Ingo's example shows it: no `time`. */
const untimedEnvelopeSchema = (data: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['status', 'client_message', 'data'],
  properties: {
    status: { type: 'integer', description: 'Ingo status code (docs/ingo-contract.md §2)' },
    client_message: { type: 'string' },
    data,
  },
});

/** The check API's answer: the outcome in `status_code`, not `status` (docs/ingo-contract.md §4.1). */
const checkEnvelopeSchema = (data: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['status_code', 'client_message', 'data'],
  properties: {
    status_code: { type: 'integer', description: 'Ingo status code, named status_code by the check API' },
    client_message: { type: 'string' },
    data,
  },
});

const errorData: JsonSchema = {
  type: 'object',
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'rule', 'message'],
        properties: { path: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};
const errorEnvelope = envelopeSchema(errorData);

const unauthorized = {
  description: 'Signature refused (docs/ingo-contract.md §1.1); `WWW-Authenticate: hmac`',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['message'],
        properties: {
          message: {
            type: 'string',
            enum: [
              'Unauthorized',
              'HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication',
              'HMAC signature cannot be verified',
              'HMAC signature does not match',
            ],
          },
        },
      },
    },
  },
};

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });

function checkPath(path: string, operationId: string, summary: string, request: string): Record<string, JsonSchema> {
  const codes = [
    `${INGO_STATUS.success} (done)`,
    `${INGO_STATUS.idempotentReplay} (the same action repeated: original data)`,
    `${INGO_STATUS.cancelTerminal} (already terminal)`,
    `${INGO_STATUS.notFound} (not found)`,
    `${INGO_STATUS.cancelMismatch} (check_number differs)`,
    `${INGO_STATUS.noIssuedCheck} (no issued check)`,
  ];
  return {
    [path]: {
      post: {
        operationId,
        summary,
        requestBody: { required: true, content: json(request) },
        responses: {
          '200': { description: `status_code ${codes.join(', ')}`, content: json('CheckActionResponse') },
          '400': {
            description: `status_code ${INGO_STATUS.fieldValidation} (field and rule named; reason codes 73–76 void, 77–78 stop) or ${INGO_STATUS.parametersIncorrect}`,
            content: json('CheckErrorEnvelope'),
          },
          '401': unauthorized,
          '413': { description: 'Body larger than 64 KiB', content: json('ErrorEnvelope') },
          '415': { description: 'Content-Type is not application/json', content: json('ErrorEnvelope') },
        },
      },
    },
  };
}

function buildDocument(): JsonSchema {
  const codes = (list: number[]) => list.join(', ');
  return {
    openapi: '3.1.0',
    info: {
      title: 'notifykit sandbox — Ingo Notify gateway',
      version: '3',
      description:
        'The gateway surface of the notifykit sandbox, reproducing Ingo Payments Notify v3 (Classic), v4 Managed Parties and the ' +
        'ancillary check API (void, stop payment). ' +
        'Every call is signed with the hmac scheme of docs/ingo-contract.md §1. Business outcomes are HTTP 200 with ' +
        'the Ingo status in the body; request-shape errors are HTTP 400/413/415 with the same envelope.',
    },
    servers: [{ url: '/' }],
    security: [{ hmac: [] }],
    paths: {
      [STAGE_V3_PATH]: {
        post: {
          operationId: 'stageDisbursement',
          summary: 'Stage a disbursement (one recipient)',
          requestBody: { required: true, content: json('StageRequest') },
          responses: {
            '200': {
              description: `status ${codes([INGO_STATUS.success, INGO_STATUS.idempotentReplay])} (staged; idempotent replay with the original data), ${INGO_STATUS.reusedUniqueId} (participant_unique_id1 reused with different data), ${INGO_STATUS.velocity} (velocity limit)`,
              content: json('StageResponse'),
            },
            '400': {
              description: `status ${INGO_STATUS.fieldValidation} (field and rule named) or ${INGO_STATUS.parametersIncorrect} (participant_id is not the signer's)`,
              content: json('ErrorEnvelope'),
            },
            '401': unauthorized,
            '413': { description: 'Body larger than 64 KiB', content: json('ErrorEnvelope') },
            '415': { description: 'Content-Type is not application/json', content: json('ErrorEnvelope') },
          },
        },
      },
      [CANCEL_V3_PATH]: {
        post: {
          operationId: 'cancelDisbursement',
          summary: 'Cancel a disbursement the recipient has not claimed',
          requestBody: { required: true, content: json('CancelRequest') },
          responses: {
            '200': {
              description: `status ${INGO_STATUS.success} (canceled), ${INGO_STATUS.idempotentReplay} (already canceled: original data), ${INGO_STATUS.cancelClaimed} (claimed), ${INGO_STATUS.cancelTerminal} (terminal), ${INGO_STATUS.notFound} (not found), ${INGO_STATUS.cancelMismatch} (name or amount differ)`,
              content: json('CancelResponse'),
            },
            '400': { description: `status ${INGO_STATUS.fieldValidation}`, content: json('ErrorEnvelope') },
            '401': unauthorized,
            '413': { description: 'Body larger than 64 KiB', content: json('ErrorEnvelope') },
            '415': { description: 'Content-Type is not application/json', content: json('ErrorEnvelope') },
          },
        },
      },
      [STAGE_V4_PATH]: {
        post: {
          operationId: 'stageManagedDisbursement',
          summary: 'Stage a Managed Parties disbursement (one recipient, 0–5 approvers, interested parties)',
          requestBody: { required: true, content: json('ManagedStageRequest') },
          responses: {
            '200': {
              description: `response.status "${INGO_STATUS.success}" (staged, a party_id per party), "${INGO_STATUS.idempotentReplay}" (the original notification and parties), "${INGO_STATUS.reusedUniqueId}", "${INGO_STATUS.velocity}"`,
              content: json('ManagedStageResponse'),
            },
            '400': {
              description: `response.status "${INGO_STATUS.fieldValidation}" (field and rule named in errors[]) or "${INGO_STATUS.parametersIncorrect}"`,
              content: json('ManagedStageResponse'),
            },
            '401': unauthorized,
            '413': { description: 'Body larger than 64 KiB', content: json('ErrorEnvelope') },
            '415': { description: 'Content-Type is not application/json', content: json('ErrorEnvelope') },
          },
        },
      },
      ...checkPath(
        CHECK_CANCEL_PATH,
        'voidCheck',
        'Void the mailed check (emits …check.canceled with the reason, then …payment.status.terminated)',
        'CheckCancelRequest',
      ),
      ...checkPath(
        CHECK_STOP_PATH,
        'stopCheck',
        'Stop payment on the issued check (emits …check.stopped, then …payment.status.terminated)',
        'CheckStopRequest',
      ),
    },
    components: {
      securitySchemes: {
        hmac: {
          type: 'http',
          scheme: 'hmac',
          description:
            'Authorization: hmac username="…", algorithm="hmac-sha512", headers="request-line x-date content-type content-sha512 content-length", signature="…" (docs/ingo-contract.md §1)',
        },
      },
      schemas: {
        StageRequest: toComponent(stageRequestSchema()),
        StageRequestOtacProgram: toComponent(stageRequestSchema({ otac: true })),
        CancelRequest: toComponent(cancelRequestSchema),
        CheckCancelRequest: toComponent(checkCancelRequestSchema),
        CheckStopRequest: toComponent(checkStopRequestSchema),
        CheckActionResponse: checkEnvelopeSchema({
          type: 'object',
          properties: {
            notification_id: { type: 'string' },
            participant_unique_id1: { type: 'string' },
            tracer_id: { type: 'string' },
            check_number: { type: 'string' },
            reason_code: { type: 'string', description: 'The reason the action was taken with' },
            request_timestamp: { type: 'integer', description: 'Unix seconds' },
          },
        }),
        CheckErrorEnvelope: checkEnvelopeSchema(errorData),
        StageResponse: envelopeSchema({
          type: 'object',
          properties: {
            notification_id: { type: 'integer' },
            tracer_id: { type: 'string' },
            participant_unique_id1: { type: 'string' },
            participant_unique_id2: { type: 'string' },
            request_timestamp: { type: 'integer', description: 'Unix seconds' },
          },
        }),
        CancelResponse: untimedEnvelopeSchema({
          type: 'object',
          properties: {
            notification_id: { type: 'string', description: 'A string here, unlike in the stage response' },
            participant_unique_id1: { type: 'string' },
            tracer_id: { type: 'string' },
            request_timestamp: { type: 'integer' },
          },
        }),
        ErrorEnvelope: errorEnvelope,
        ManagedStageRequest: toComponent(managedStageRequestSchema()),
        ManagedStageResponse: {
          type: 'object',
          required: ['response'],
          properties: {
            request: { type: 'object', description: 'The request envelope, echoed' },
            response: {
              type: 'object',
              required: ['status', 'message', 'duration'],
              properties: {
                status: { type: 'string', description: 'Ingo status code, as a string in v4' },
                message: { type: 'string' },
                duration: { type: 'string' },
              },
            },
            transaction: {
              type: 'object',
              properties: {
                participant_unique_ids: { type: 'object' },
                notification_id: { type: 'string' },
                tracer_id: { type: 'string' },
                parties: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      client_provided_id: { type: 'string' },
                      party_id: { type: 'string', format: 'uuid' },
                      role: { type: 'integer', enum: [0, 1, 2] },
                    },
                  },
                },
              },
            },
            errors: { type: 'array', description: 'On a 400: {path, rule, message} per issue (values never echoed)' },
          },
        },
      },
    },
  };
}

let cached: string | undefined;

/** The document, serialized once. */
export function openApiDocument(): string {
  cached ??= JSON.stringify(buildDocument());
  return cached;
}
