/**
 * DSNs have Sentry's form: `http(s)://<public key>@<host>/<mount path>/<project id>`.
 * Sentry SDKs accept only digits as project id and [A-Za-z0-9_] in the key, and so do we.
 */
export interface Dsn {
  protocol: 'http' | 'https';
  publicKey: string;
  host: string;
  /** Where Faultline's router is mounted, without a trailing slash ('' at the root). */
  mountPath: string;
  projectId: number;
}

export function buildDsn(baseUrl: string, publicKey: string, projectId: number): string {
  const url = new URL(baseUrl);
  url.username = publicKey;
  url.password = '';
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${publicKey}@${url.host}${path}/${projectId}`;
}

export function parseDsn(dsn: string): Dsn {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    throw new TypeError(`Invalid DSN: not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('Invalid DSN: protocol must be http or https');
  if (!/^[A-Za-z0-9_]+$/.test(url.username)) throw new TypeError('Invalid DSN: public key missing or malformed');
  const match = /^(.*)\/(\d+)\/?$/.exec(url.pathname);
  if (!match) throw new TypeError('Invalid DSN: path must end with a numeric project id');
  return {
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    publicKey: url.username,
    host: url.host,
    mountPath: match[1],
    projectId: Number(match[2]),
  };
}
