import { debugLog, setDebug } from './debug.js';
import { normalize } from './normalize.js';
import { applyScope, type ScopeData } from './scope.js';
import type { EventHint, FaultlineEvent, Options } from './types.js';
import type { Transport } from '../transports/types.js';
import { SDK_VERSION } from './version.js';

/** What a platform (browser, Node) gives the shared client. */
export interface Platform {
  platform: string;
  sdkName: string;
  transport: Transport;
  /** Adds what only this platform knows (page URL, server name...). */
  enrich?(event: FaultlineEvent): void;
}

export interface Client {
  options: Options;
  transport: Transport;
  /** Builds, filters and queues an event whose id is already set. */
  capture(event: FaultlineEvent, hint: EventHint, scope: ScopeData): void;
  /** Called by `close()`: removes handlers the platform installed. */
  teardown: Array<() => void>;
}

function finish(client: Client, event: FaultlineEvent | null): void {
  // once more: beforeSend may have added anything
  if (event) client.transport.add(normalize(event, true, client.options.sendDefaultPii) as FaultlineEvent);
  else if (typeof __DEBUG__ == 'undefined' || __DEBUG__) debugLog('event dropped');
}

export function createClient(options: Options, p: Platform): Client {
  if (typeof __DEBUG__ == 'undefined' || __DEBUG__) setDebug(options.debug);
  const client: Client = {
    options,
    transport: p.transport,
    teardown: [],
    capture(event, hint, scope) {
      try {
        const rate = options.sampleRate;
        if (rate !== undefined && Math.random() >= rate) return;
        applyScope(event, scope);
        event.platform = p.platform;
        event.sdk = { name: p.sdkName, version: SDK_VERSION };
        if (options.release) event.release = options.release;
        if (options.environment) event.environment = options.environment;
        if (p.enrich) p.enrich(event);
        const pii = !!options.sendDefaultPii;
        // the server fills in the sender's address only when asked to
        if (pii && event.user && !event.user.ip_address) event.user.ip_address = '{{auto}}';
        // a JSON-safe copy with secrets filtered, everywhere in the event, before beforeSend sees it
        event = normalize(event, true, pii) as FaultlineEvent;
        const out = event && options.beforeSend ? options.beforeSend(event, hint) : event;
        if (out && typeof (out as PromiseLike<unknown>).then === 'function') {
          (out as PromiseLike<FaultlineEvent | null>).then((e) => finish(client, e), () => undefined);
        } else finish(client, out as FaultlineEvent | null);
      } catch (err) {
        // a failing beforeSend or a strange value must never reach the host app
        if (typeof __DEBUG__ == 'undefined' || __DEBUG__) debugLog('capture failed', err);
      }
    },
  };
  return client;
}
