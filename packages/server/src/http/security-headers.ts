import type { FastifyInstance } from 'fastify';

// The headers browsers and caches act on, set in one onSend hook so every route inherits them — the
// dashboard's pages included, whoever registers them. HTML is recognised by its Content-Type, not by
// route, so any page served later gets the same policy.

/** Same-origin scripts, styles, images and fetches only; never framed; no plugins; forms post home. */
export const HTML_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline <style> in the pages we serve; no inline scripts.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function registerSecurityHeaders(app: FastifyInstance, options: { apiPrefix: string }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html')) {
      reply.header('content-security-policy', HTML_CONTENT_SECURITY_POLICY);
      reply.header('x-frame-options', 'DENY');
    }
    // API answers carry decrypted recipient data: no browser or proxy cache may keep them.
    if (request.url === options.apiPrefix || request.url.startsWith(`${options.apiPrefix}/`)) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}
