import { captureError, getClient } from '../shared/api.js';
import type { RequestInfo, User } from '../shared/types.js';

/** The parts of an Express request the handler reads (no dependency on express itself). */
export interface ExpressLikeRequest {
  method?: string;
  originalUrl?: string;
  url?: string;
  protocol?: string;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  get?(name: string): string | undefined;
  user?: { id?: string | number; username?: string; email?: string; [k: string]: unknown };
}

/** Headers that never leave the app, whatever the options say (cookies only with sendDefaultPii). */
const SECRET_HEADER = /^(authorization|proxy-authorization|x-faultline-key|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token)$/i;
const COOKIE_HEADER = /^(cookie|set-cookie)$/i;

/** The request as the event's `request` and `user`, with secrets removed. */
export function describeRequest(req: ExpressLikeRequest, pii: boolean): { request: RequestInfo; user?: User } {
  const headers: Record<string, string> = {};
  for (const name in req.headers) {
    const v = req.headers[name];
    if (v === undefined || SECRET_HEADER.test(name) || (!pii && COOKIE_HEADER.test(name))) continue;
    headers[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  const path = req.originalUrl || req.url || '/';
  const q = path.indexOf('?');
  const host = headers.host;
  const request: RequestInfo = {
    method: req.method,
    url: (host ? (req.protocol || 'http') + '://' + host : '') + (q < 0 ? path : path.slice(0, q)),
    headers,
  };
  if (q >= 0) request.query_string = path.slice(q + 1);
  let user: User | undefined;
  const u = req.user;
  if (u && (u.id !== undefined || u.username)) {
    user = { id: u.id, username: u.username };
    if (pii && u.email) user.email = u.email;
  }
  if (pii && req.ip) user = { ...user, ip_address: req.ip };
  return { request, user };
}

type Next = (err?: unknown) => void;

/**
 * Express error-handling middleware: reports the error with the request (method, URL, headers without
 * secrets) and the user, then hands the error on with `next(err)`. Mount it after your routes.
 */
export function expressErrorHandler(): (err: unknown, req: ExpressLikeRequest, res: unknown, next: Next) => void {
  return function faultlineErrorHandler(err, req, _res, next) {
    try {
      const client = getClient();
      if (client) captureError(err, { type: 'express', handled: false }, describeRequest(req, !!client.options.sendDefaultPii));
    } catch {
      // reporting must not change how the app answers
    }
    next(err);
  };
}
