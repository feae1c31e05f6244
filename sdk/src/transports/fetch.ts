import type { Endpoint } from '../shared/dsn.js';
import type { Beacon, Sender } from './types.js';

/**
 * Browser sender: `fetch` with keepalive (the request outlives the page). Takes the native `fetch` now,
 * before the fetch breadcrumbs wrap it, so the SDK's own requests leave no breadcrumbs.
 */
export function fetchSender(ep: Endpoint): Sender {
  const f = fetch;
  return function send(body) {
    return f(ep.url, {
      method: 'POST',
      body,
      // the browser build caps a request at 60 KB, under keepalive's 64 KB
      keepalive: true,
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + ep.key },
    }).then((r) => ({ status: r.status, retryAfter: r.headers.get('Retry-After') }));
  };
}

/** `sendBeacon` cannot set headers: the key goes in the query, the body as text/plain JSON. */
export function beaconSender(ep: Endpoint): Beacon | undefined {
  const nav = typeof navigator == 'object' ? navigator : undefined;
  if (!nav || !nav.sendBeacon) return undefined;
  const url = ep.url + '?faultline_key=' + encodeURIComponent(ep.key);
  return function beacon(body) {
    return nav.sendBeacon(url, new Blob([body], { type: 'text/plain' }));
  };
}
