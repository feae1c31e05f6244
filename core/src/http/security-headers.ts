import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Security headers for the query, admin and widget routes (helmet). Ingest routes answer before this
 * runs: SDKs call them cross-origin and read none of these headers.
 * The API answers JSON only, so its content policy allows nothing; responses may not be embedded by
 * other sites (CORP same-origin), which keeps a cookie-authenticated answer out of a cross-site page.
 * A route that serves something meant for other origins (widgets.js) sets its own CORP.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: true },
  });
}
