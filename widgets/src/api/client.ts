/** The HTTP API as the widgets call it: one place for the base URL, auth and coded errors. */
import { hasEarly, keepEarly, takeEarly } from './early-requests.js';

/** A refused or failed call, with the server's code and message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Params = Record<string, string | number | undefined | null>;

export class FaultlineClient {
  /**
   * `baseUrl` is where Faultline is mounted (`/faultline`, or another origin). Without a `token` the
   * browser sends the host's cookies, so a host's own session (`authorize(req)`) decides.
   */
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  url(path: string, params: Params = {}): string {
    const url = new URL(this.baseUrl.replace(/\/+$/, '') + path, document.baseURI);
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.token ? { ...extra, authorization: `Bearer ${this.token}` } : extra;
  }

  /** A GET; an identical one `prefetch`ed a moment ago gives its answer instead of asking again. */
  get<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
    const early = hasEarly() && !signal ? takeEarly<T>(this.earlyKey(path, params)) : undefined;
    return early ?? this.call<T>('GET', path, params, undefined, signal);
  }

  /** Starts a GET now, for a `get` of the same URL and credentials that comes soon (early-requests.ts). */
  prefetch(path: string, params?: Params): void {
    keepEarly(this.earlyKey(path, params), this.call('GET', path, params));
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, undefined, body);
  }

  private earlyKey(path: string, params?: Params): string {
    return `${this.token ?? ''} ${this.url(path, params)}`;
  }

  private async call<T>(method: string, path: string, params?: Params, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.url(path, params), {
        method,
        headers: this.headers(body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' }),
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: this.token ? 'omit' : 'include',
        signal,
      });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiError(0, 'OFFLINE', navigator.onLine ? 'Faultline cannot be reached' : 'You are offline');
    }
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (a proxy's error page, say)
    }
    if (!res.ok) {
      const error = json?.error;
      const message = typeof error?.message === 'string' ? error.message : `${res.status} ${res.statusText}`.trim();
      throw new ApiError(res.status, typeof error?.code === 'string' ? error.code : `HTTP_${res.status}`, message);
    }
    return json as T;
  }
}
