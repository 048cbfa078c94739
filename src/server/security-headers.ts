// Security headers for every answer (pages, API, docs), through helmet: its middleware is built
// once at start (server/app.ts), not again on every request as @fastify/helmet did.
// The web app is built by Vite into files under /assets: no inline script, so
// scripts come only from our origin. Mantine writes style attributes and <style>
// tags at run time, hence 'unsafe-inline' for styles (styles cannot run code).
import type { HelmetOptions } from "helmet";

export function securityHeaders({ https }: { https: boolean }): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        // Only behind HTTPS: on plain http it would send the page's own requests to a port that does not answer.
        ...(https ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    // HSTS makes browsers refuse http for a year: only when the operator says Parley is served over HTTPS.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  };
}
