import { verifyWebhook, WebhookVerificationError } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { type ApiError, WebhookNotCommitted, WebhookRejected, WebhookUnauthenticated } from '../errors.js';
import { countTransitions, type LifecycleMetrics } from '../lifecycle/transitions.js';
import type { GroupCommitQueue } from './group-commit.js';
import type { IngestResult, VerifiedWebhook } from './ingestion.js';

export type WebhookSignatureAlgorithm = 'sha512' | 'sha256';
export type WebhookSignatureEncoding = 'base64' | 'hex';

export interface WebhookSettings {
  /** Every active secret (rotation); the first is the one Ingo is told about. */
  secrets: string[];
  algorithm: WebhookSignatureAlgorithm;
  encoding: WebhookSignatureEncoding;
  bodyLimitBytes: number;
}

export interface WebhookMetrics extends LifecycleMetrics {
  webhooksReceived: Counter<'topic_kind'>;
  webhooksDuplicate: Counter;
  webhooksOrphaned: Counter;
  webhooksRejected: Counter<'reason'>;
}

export interface WebhookEndpointDependencies {
  settings: WebhookSettings;
  queue: GroupCommitQueue<VerifiedWebhook, IngestResult>;
  metrics: WebhookMetrics;
  logger: Logger;
}

/** Framework errors raised before the handler → the rejection reason counted in /metrics. */
const FRAMEWORK_REJECTIONS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
};

/** Why the SDK refused a webhook → the error answered (nothing is stored either way). */
function refusal(error: WebhookVerificationError): ApiError {
  switch (error.code) {
    case 'ERR_WEBHOOK_NO_SIGNATURE':
      return new WebhookUnauthenticated('missing_signature', 'X-Ingo-Signature header is required');
    case 'ERR_WEBHOOK_SIGNATURE_MISMATCH':
      return new WebhookUnauthenticated('invalid_signature', 'X-Ingo-Signature does not match the body');
    case 'ERR_WEBHOOK_MALFORMED_JSON':
      return new WebhookRejected('malformed_json', 'the webhook body is not valid JSON');
    case 'ERR_WEBHOOK_NOT_AN_ENVELOPE':
      return new WebhookRejected('not_an_envelope', 'the webhook body is not an Ingo event envelope');
    default:
      return new WebhookRejected('invalid_webhook', 'the webhook was refused');
  }
}

/**
 * `POST /webhooks/ingo`: raw bytes in (the signature covers them exactly), verified, then committed
 * through the group-commit queue; the 200 is sent only after the commit. Failures are thrown as
 * application errors and answered by the server's one error handler (http/error-handler.ts).
 */
export async function registerWebhookEndpoint(app: FastifyInstance, deps: WebhookEndpointDependencies): Promise<void> {
  const { settings, queue, metrics, logger } = deps;
  const scheme = { algorithm: settings.algorithm, encoding: settings.encoding };
  await app.register(async (scope) => {
    // Scoped to this plugin: the API keeps its JSON parser, this route gets the untouched bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: settings.bodyLimitBytes }, (_req, body, done) =>
      done(null, body),
    );
    // Refused before the handler runs (body over the limit, a Content-Type no parser accepts, such as
    // `application/json, text/plain`): counted here as the 4xx it is, answered by the error handler.
    scope.addHook('onError', async (_request, _reply, error) => {
      const reason = FRAMEWORK_REJECTIONS[(error as { code?: string }).code ?? ''];
      if (reason !== undefined) metrics.webhooksRejected.inc({ reason });
    });
    scope.post(
      '/webhooks/ingo',
      {
        bodyLimit: settings.bodyLimitBytes,
        // Nothing on this route logs through request.log (rejections and failures use the server's logger),
        // so the per-request child logger Fastify would build (bindings serialized per request) is skipped.
        childLoggerFactory: (logger) => logger,
      },
      async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let result: IngestResult;
        try {
          const event = verifyWebhook({ rawBody, headers: request.headers, secrets: settings.secrets, scheme });
          result = await queue.submit({ event, rawBody: rawBody.toString('utf8'), receivedAt: Date.now() });
        } catch (error) {
          if (error instanceof WebhookVerificationError) {
            const refused = refusal(error);
            metrics.webhooksRejected.inc({ reason: refused.code });
            logger.warn({ reason: refused.code, detail: error.message }, 'webhook rejected');
            throw refused;
          }
          metrics.webhooksRejected.inc({ reason: 'internal_error' });
          logger.error({ err: error }, 'webhook could not be committed');
          throw new WebhookNotCommitted(error);
        }
        if (result.outcome === 'duplicate') metrics.webhooksDuplicate.inc();
        else metrics.webhooksReceived.inc({ topic_kind: result.classification });
        if (result.outcome === 'orphan') metrics.webhooksOrphaned.inc();
        countTransitions(metrics, result.transitions);
        return reply.status(200).send({ received: true, duplicate: result.outcome === 'duplicate' });
      },
    );
  });
}
