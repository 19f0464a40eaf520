import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The browser's own walls, on every answer (@fastify/helmet): a strict Content-Security-Policy, no framing by
 * any site, no MIME sniffing, no referrer (a `/q/<token>` link must not travel to the next site).
 *
 * What the policy allows, and who needs it:
 * - scripts only from our origin: the web app's bundles, the PDF.js worker among its assets, the API docs'
 *   Swagger UI; no inline script, no eval;
 * - inline styles: Mantine writes its theme into a `<style>` element, and components set `style` attributes;
 * - images from our origin and `data:` (the QR codes of tracked links, Swagger UI's icons);
 * - `connect-src 'self'`: the API and its live stream, and the PDF the preview fetches;
 * - `worker-src 'self'`: PDF.js parses in a worker loaded from our assets.
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: { https: boolean }) {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(options.https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Over plain http (a laptop, a LAN) a year-long HSTS promise would be wrong; behind https it is right.
    strictTransportSecurity: options.https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  // A PDF (a quote's, in a new tab or from a /q/ link) is drawn by the browser's own viewer, which a page's
  // policy may block; it runs none of our scripts. Framing it stays forbidden by X-Frame-Options: DENY.
  app.addHook('onSend', async (_request, reply) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/pdf')) {
      reply.removeHeader('content-security-policy');
    }
  });
}
