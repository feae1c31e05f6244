import { bindClient, getClient } from '../shared/api.js';
import { createClient } from '../shared/client.js';
import { resolveEndpoint } from '../shared/dsn.js';
import type { FaultlineEvent, Options } from '../shared/types.js';
import { fetchSender } from '../transports/fetch.js';
import { createTransport } from '../transports/transport.js';
import type { Transport } from '../transports/types.js';
import { clickBreadcrumbs, consoleBreadcrumbs, navigationBreadcrumbs } from './dom-breadcrumbs.js';
import { installGlobalHandlers } from './global-handlers.js';
import { fetchBreadcrumbs, xhrBreadcrumbs } from './network-breadcrumbs.js';
import { browserStore } from './store.js';

export * from '../shared/public-api.js';

export interface BrowserOptions extends Options {
  /** Keep unsent events in IndexedDB across reloads and offline periods. Default true. */
  offline?: boolean;
  /** Replace the transport (tests). */
  transport?: Transport;
}

/** Automatic capture, each on by default; `autoCapture: { xhr: false }` turns one off. */
const AUTO: Record<string, () => (() => void) | Array<() => void>> = {
  errors: installGlobalHandlers,
  console: consoleBreadcrumbs,
  clicks: clickBreadcrumbs,
  navigation: navigationBreadcrumbs,
  fetch: fetchBreadcrumbs,
  xhr: xhrBreadcrumbs,
};

function enrich(event: FaultlineEvent): void {
  event.request = { url: location.href, headers: { 'User-Agent': navigator.userAgent }, ...event.request };
}

/** Starts the SDK in a page. Safe to call with a bad DSN (the SDK stays off) and never throws. */
export function init(options: BrowserOptions): void {
  try {
    if (getClient() || options.enabled === false) return;
    const ep = resolveEndpoint(options.dsn, options.endpoint, options.key);
    if (!ep && !options.transport) return;
    const transport =
      options.transport ||
      createTransport({
        // maxQueue, batchSize, batchDelay, maxAge, retryBase: the same names in both
        ...options,
        send: fetchSender(ep!),
        beacon: true,
        store: options.offline === false ? undefined : browserStore(ep!.url),
        maxBytes: 60_000,
      });
    const client = createClient(options, { platform: 'javascript', sdkName: 'faultline.javascript.browser', transport, enrich });
    bindClient(client);
    const auto = options.autoCapture;
    for (const name in AUTO) {
      if (auto === false || (typeof auto == 'object' && auto[name] === false)) continue;
      client.teardown = client.teardown.concat(AUTO[name]());
    }
    // these stay after close(): whatever is still queued should go out when the page hides or comes online
    addEventListener('online', transport.online);
    addEventListener('pagehide', transport.hide);
    document.addEventListener('visibilitychange', () => document.visibilityState == 'hidden' && transport.hide());
  } catch {
    // a broken environment leaves the SDK off, never the page broken
  }
}
