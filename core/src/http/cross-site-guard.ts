import type { Request, RequestHandler } from 'express';
import { FaultlineError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF safety for state changes authorized by the host's own session (cookies, `authorize(req)`): a
 * browser sends such cookies with a cross-site request, so a change without a bearer token must come
 * from this site. A bearer token cannot be forged that way, so requests carrying one pass.
 * Browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`; a client that sends
 * neither is not a browser and cannot be made to carry a victim's cookies.
 */
export function crossSiteGuard(trustedOrigins: readonly string[]): RequestHandler {
  const trusted = new Set(trustedOrigins.map((o) => new URL(o).origin));
  return function refuseCrossSiteChanges(req, _res, next) {
    if (SAFE_METHODS.has(req.method) || req.get('authorization')) return next();
    const origin = req.get('origin');
    if (origin !== undefined && origin !== 'null' && (sameHost(origin, req) || trusted.has(origin))) return next();
    const site = req.get('sec-fetch-site');
    if (origin === undefined && (site === undefined || site === 'same-origin' || site === 'none')) return next();
    next(
      new FaultlineError(
        'FAULTLINE_ERR_AUTH_CROSS_SITE',
        `A ${req.method} from ${origin ?? `a ${site} page`} with the host's session was refused: send a bearer token, or list the origin in trustedOrigins`,
      ),
    );
  };
}

function sameHost(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.get('host');
  } catch {
    return false;
  }
}
