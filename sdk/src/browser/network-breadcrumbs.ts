import { addBreadcrumb } from '../shared/api.js';
import { wrap } from './wrap.js';

function crumb(category: string, method: string, url: string, status?: number): void {
  addBreadcrumb({
    category,
    level: status && status < 400 ? 'info' : 'error',
    data: { method, url, status_code: status },
  });
}

/** `fetch` calls become breadcrumbs (method, URL, status); the SDK's own requests use the unwrapped fetch. */
export function fetchBreadcrumbs(): () => void {
  return wrap(globalThis, 'fetch', (orig) =>
    function fetchCrumb(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      const req = input as Request;
      const method = ((init && init.method) || req.method || 'GET').toUpperCase();
      const url = typeof input == 'string' ? input : req.url || String(input);
      const p = orig.call(this, input, init);
      p.then(
        (r) => crumb('fetch', method, url, r.status),
        () => crumb('fetch', method, url),
      );
      return p;
    },
  );
}

/** XMLHttpRequest calls become breadcrumbs once they end. */
export function xhrBreadcrumbs(): Array<() => void> {
  if (typeof XMLHttpRequest == 'undefined') return [];
  const proto = XMLHttpRequest.prototype;
  type Seen = XMLHttpRequest & { _fl?: [string, string] };
  return [
    wrap(proto, 'open', (orig) =>
      function openCrumb(this: Seen, ...args: [string, string | URL]) {
        this._fl = [String(args[0]).toUpperCase(), String(args[1])];
        return (orig as (...a: unknown[]) => void).apply(this, args);
      } as XMLHttpRequest['open'],
    ),
    wrap(proto, 'send', (orig) =>
      function sendCrumb(this: Seen, body?: Document | XMLHttpRequestBodyInit | null) {
        const info = this._fl;
        if (info) this.addEventListener('loadend', () => crumb('xhr', info[0], info[1], this.status));
        return orig.call(this, body);
      },
    ),
  ];
}
