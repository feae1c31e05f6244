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

/** XMLHttpRequest calls become breadcrumbs once they end (one per `open`). */
export function xhrBreadcrumbs(): () => void {
  return typeof XMLHttpRequest == 'undefined'
    ? () => undefined
    : wrap(XMLHttpRequest.prototype, 'open', (orig) =>
        function openCrumb(this: XMLHttpRequest, ...args: [string, string | URL]) {
          const method = String(args[0]).toUpperCase();
          const url = String(args[1]);
          this.addEventListener('loadend', () => crumb('xhr', method, url, this.status), { once: true });
          return (orig as (...a: unknown[]) => void).apply(this, args);
        } as XMLHttpRequest['open'],
      );
}
