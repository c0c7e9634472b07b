// The public surface is a decision, so it is pinned here: a name added to or dropped from an entry
// point fails this test until the lists below say so on purpose. Types are not visible at runtime;
// the type-checked README examples and the other packages' imports cover them.

import { describe, expect, it } from 'vitest';
import * as root from './index.js';
import * as lifecycle from './lifecycle/index.js';
import * as signing from './signing/index.js';
import * as webhooks from './webhooks/index.js';

const SIGNING = ['signRequest', 'verifyRequestSignature'];
const WEBHOOKS = ['WEBHOOK_SIGNATURE_HEADER', 'parseWebhookEvent', 'signWebhook', 'verifyWebhook'];
const LIFECYCLE = [
  'ATTENTION_CODES',
  'DISBURSEMENT_STATUSES',
  'STATUS_RANK',
  'TERMINAL_STATUSES',
  'applyEvent',
  'canCancel',
  'cancelRefusalReason',
  'classifyTopic',
  'describeTransition',
  'initialState',
  'partyRoleName',
  'reduceEvents',
  'restoreState',
];
const ROOT_ONLY = [
  // client and requests
  'CHECK_CANCEL_REASON_CODES',
  'CHECK_STOP_REASON_CODES',
  'IngoClient',
  'cancelRequestSchema',
  'checkCancelRequestSchema',
  'checkStopRequestSchema',
  'managedCancelFields',
  'managedStageRequestSchema',
  'newTracerId',
  'normalizeManagedStagePhones',
  'normalizeStagePhones',
  'normalizeUsPhone',
  'stageRequestSchema',
  'validateCancelRequest',
  'validateCheckCancelRequest',
  'validateCheckStopRequest',
  'validateManagedStageRequest',
  'validateStageRequest',
  // errors
  'AbortError',
  'AuthenticationError',
  'CancelOutcomeUnknownError',
  'ConfigurationError',
  'HttpError',
  'IngoApiError',
  'IngoCardError',
  'IngoInProgressError',
  'IngoIssuerDeclineError',
  'IngoRequestError',
  'IngoStateError',
  'IngoSystemError',
  'IngoTransactionError',
  'IngoValidationError',
  'NetworkError',
  'NotifykitError',
  'ResponseParseError',
  'SignatureVerificationError',
  'TimeoutError',
  'ValidationError',
  'WebhookVerificationError',
  // topics
  'CATALOG_TOPICS',
  'QUICKSTART_TOPICS',
  'TOPIC_INFO',
  'canonicalTopic',
  'isKnownTopic',
  'topicInDialect',
  // money, redaction, version
  'REDACTED',
  'SDK_VERSION',
  'amountToCents',
  'formatCents',
  'isSensitiveKey',
  'redact',
  'redactLogFields',
];

const names = (module: object) => Object.keys(module).sort();

describe('public surface', () => {
  it("'.' exports exactly the names chosen for it", () => {
    expect(names(root)).toEqual([...ROOT_ONLY, ...SIGNING, ...WEBHOOKS, ...LIFECYCLE].sort());
  });

  it.each([
    ['./signing', signing, SIGNING],
    ['./webhooks', webhooks, WEBHOOKS],
    ['./lifecycle', lifecycle, LIFECYCLE],
  ] as const)('%s exports exactly its names, the same bindings as the root', (_entry, module, expected) => {
    expect(names(module)).toEqual([...expected].sort());
    for (const name of expected)
      expect((root as Record<string, unknown>)[name]).toBe(module[name as keyof typeof module]);
  });

  it('keeps internals out of every entry point', () => {
    const internals = [
      'RequestSender',
      'backoffDelay',
      'headerLookup',
      'parseImfFixdate',
      'buildSigningString',
      'driftNumber',
      'driftString',
      'toValidationIssues',
      'readIngoStatus',
      'classifyIngoStatus',
      'resolveTopic',
      'DETAIL_PARSERS',
      'LIFECYCLE_TOPICS',
    ];
    for (const module of [root, signing, webhooks, lifecycle]) {
      for (const name of internals) expect(Object.keys(module)).not.toContain(name);
    }
  });
});
