import { verifyWebhook, WebhookVerificationError } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ServerConfig } from '../app/config.js';
import type { ServerMetrics } from '../app/metrics.js';
import type { StagingService } from '../disbursements/staging-service.js';
import { ApiError, errorBody } from '../errors.js';
import type { GroupCommitQueue } from './group-commit.js';
import type { IngestResult, VerifiedWebhook } from './ingestion.js';

const REJECTIONS: Record<string, [number, string, string]> = {
  ERR_WEBHOOK_NO_SIGNATURE: [401, 'missing_signature', 'X-Ingo-Signature header is required'],
  ERR_WEBHOOK_SIGNATURE_MISMATCH: [401, 'invalid_signature', 'X-Ingo-Signature does not match the body'],
  ERR_WEBHOOK_MALFORMED_JSON: [400, 'malformed_json', 'the webhook body is not valid JSON'],
  ERR_WEBHOOK_NOT_AN_ENVELOPE: [400, 'not_an_envelope', 'the webhook body is not an Ingo event envelope'],
};

export interface WebhookEndpointDependencies {
  config: ServerConfig;
  queue: GroupCommitQueue<VerifiedWebhook, IngestResult>;
  metrics: ServerMetrics;
  staging: StagingService;
  logger: Logger;
}

/**
 * `POST /webhooks/ingo`: raw bytes in (the signature covers them exactly), verified, then committed
 * through the group-commit queue; the 200 is sent only after the commit.
 */
export async function registerWebhookEndpoint(app: FastifyInstance, deps: WebhookEndpointDependencies): Promise<void> {
  const { config, queue, metrics, logger } = deps;
  const scheme = { algorithm: config.webhook.algorithm, encoding: config.webhook.encoding };
  await app.register(async (scope) => {
    // Scoped to this plugin: the API keeps its JSON parser, this route gets the untouched bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: config.webhook.bodyLimitBytes },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/webhooks/ingo',
      {
        bodyLimit: config.webhook.bodyLimitBytes,
        // Nothing on this route logs through request.log (rejections and failures use the server's logger),
        // so the per-request child logger Fastify would build (bindings serialized per request) is skipped.
        childLoggerFactory: (logger) => logger,
      },
      async (request, reply) => {
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let verified: VerifiedWebhook;
        try {
          const event = verifyWebhook({ rawBody, headers: request.headers, secrets: config.webhook.secrets, scheme });
          verified = { event, rawBody: rawBody.toString('utf8'), receivedAt: Date.now() };
        } catch (error) {
          if (error instanceof WebhookVerificationError) {
            const [status, code, message] = REJECTIONS[error.code] ?? [
              400,
              'invalid_webhook',
              'the webhook was refused',
            ];
            metrics.webhooksRejected.inc({ reason: code });
            logger.warn({ reason: code, detail: error.message }, 'webhook rejected');
            return reply.status(status).send(errorBody(code, message));
          }
          throw error;
        }
        const result = await queue.submit(verified);
        if (result.outcome === 'duplicate') metrics.webhooksDuplicate.inc();
        else metrics.webhooksReceived.inc({ topic_kind: result.classification });
        if (result.outcome === 'orphan') metrics.webhooksOrphaned.inc();
        deps.staging.countTransitions(result.transitions);
        return reply.status(200).send({ received: true, duplicate: result.outcome === 'duplicate' });
      },
    );
    scope.setErrorHandler((error, _request, reply) => {
      const code = (error as { code?: string }).code;
      if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        metrics.webhooksRejected.inc({ reason: 'payload_too_large' });
        return reply
          .status(413)
          .send(errorBody('payload_too_large', `webhook bodies are limited to ${config.webhook.bodyLimitBytes} bytes`));
      }
      if (error instanceof ApiError) return reply.status(error.statusCode).send(errorBody(error.code, error.message));
      metrics.webhooksRejected.inc({ reason: 'internal_error' });
      logger.error({ err: error }, 'webhook could not be committed');
      // 503 tells Ingo to retry: nothing was acknowledged.
      return reply.status(503).send(errorBody('not_committed', 'the event could not be stored; Ingo will retry'));
    });
  });
}
