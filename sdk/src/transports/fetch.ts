import type { Endpoint } from '../shared/dsn.js';
import type { Sender } from './types.js';

/**
 * Browser sender: `fetch` with keepalive (the request outlives the page). Takes the native `fetch` now,
 * before the fetch breadcrumbs wrap it, so the SDK's own requests leave no breadcrumbs. A beacon (the
 * page is hiding) is a simple request, which needs no preflight: the key goes in the query and the body
 * as text/plain JSON, as `sendBeacon` would send it; unlike `sendBeacon`, it has an answer.
 */
export function fetchSender(ep: Endpoint): Sender {
  const f = fetch;
  return function send(body, beacon) {
    return f(beacon ? ep.url + '?faultline_key=' + encodeURIComponent(ep.key) : ep.url, {
      method: 'POST',
      body,
      // the browser build caps a request at 60 KB, under keepalive's 64 KB
      keepalive: true,
      // a string body goes as text/plain by default
      headers: beacon ? {} : { 'Content-Type': 'application/json', Authorization: 'Bearer ' + ep.key },
    }).then((r) => ({ status: r.status, retryAfter: r.headers.get('Retry-After'), remaining: r.headers.get('RateLimit-Remaining') }));
  };
}
