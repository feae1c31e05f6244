export interface Endpoint {
  /** The native ingest URL: `<scheme>://<host>/<mount path>/api/v1/events`. */
  url: string;
  key: string;
}

/**
 * Where to send events. A DSN has Sentry's form `http(s)://<public key>@<host>/<mount path>/<project id>`;
 * the project id is implied by the key, so only the mount path is kept. Returns undefined when unusable.
 */
export function resolveEndpoint(dsn?: string, endpoint?: string, key?: string): Endpoint | undefined {
  if (dsn) {
    const m = /^(https?:\/\/)([^@/]+)@([^/]+)(\/.*)?\/\d+\/?$/.exec(dsn);
    if (!m) return undefined;
    return { url: m[1] + m[3] + (m[4] || '') + '/api/v1/events', key: m[2] };
  }
  if (endpoint && key) return { url: endpoint.replace(/\/+$/, '') + '/api/v1/events', key };
  return undefined;
}
