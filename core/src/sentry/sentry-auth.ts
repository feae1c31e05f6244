import type { Request } from 'express';

/**
 * Where a Sentry SDK puts its public key: the `sentry_key` query parameter (browser and Node SDKs),
 * the `X-Sentry-Auth` header (`Sentry sentry_key=..., sentry_version=7, sentry_client=...`), or an
 * `Authorization: Sentry ...` header (older SDKs). The envelope header's `dsn` is read later, from the body.
 */
export function sentryRequestKey(req: Request): string | undefined {
  const query = req.query.sentry_key;
  if (typeof query === 'string' && query !== '') return query;
  const header = req.get('x-sentry-auth') ?? sentryAuthorization(req.get('authorization'));
  return header === undefined ? undefined : parseSentryAuth(header).sentry_key;
}

/**
 * The client's `name/version` from `?sentry_client=` or the auth header's `sentry_client`, the only place
 * raven-js names itself, as `{ name, version }`; undefined when there is none.
 */
export function sentryClient(req: Request): { name: string; version: string } | undefined {
  const query = req.query.sentry_client;
  const header = req.get('x-sentry-auth') ?? sentryAuthorization(req.get('authorization'));
  const value = typeof query === 'string' && query !== '' ? query : header === undefined ? undefined : parseSentryAuth(header).sentry_client;
  const match = value === undefined ? null : /^([\w.@:+-]{1,100})\/([\w.+-]{1,50})$/.exec(value.trim());
  return match ? { name: match[1], version: match[2] } : undefined;
}

function sentryAuthorization(value: string | undefined): string | undefined {
  return value && /^sentry\s/i.test(value) ? value : undefined;
}

/** `Sentry sentry_key=abc, sentry_version=7` -> `{ sentry_key: 'abc', sentry_version: '7' }`. */
export function parseSentryAuth(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const body = header.replace(/^\s*sentry\s+/i, '');
  for (const part of body.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (name && !(name in out)) out[name] = value;
  }
  return out;
}

/** The public key and project of an envelope header's `dsn`, or undefined when it has none or it is not a URL. */
export function keyFromDsn(dsn: unknown): { publicKey: string; projectId: number | undefined } | undefined {
  if (typeof dsn !== 'string' || dsn.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return undefined;
  }
  if (!url.username) return undefined;
  const match = /\/(\d+)\/?$/.exec(url.pathname);
  return { publicKey: decodeURIComponent(url.username), projectId: match ? Number(match[1]) : undefined };
}
