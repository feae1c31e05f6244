import { hostname, platform, release } from 'node:os';
import { bindClient, getClient } from '../shared/api.js';
import { createClient } from '../shared/client.js';
import { resolveEndpoint } from '../shared/dsn.js';
import type { FaultlineEvent, Options } from '../shared/types.js';
import { httpSender } from '../transports/node-http.js';
import { createTransport, defaultTimers } from '../transports/transport.js';
import type { Transport } from '../transports/types.js';
import { defaultQueuePath, fileStore } from './file-store.js';
import { installProcessHandlers } from './process-handlers.js';
import { installSignalHandlers } from './signal-handlers.js';
import { relativeToRoot } from './app-root.js';

export * from '../shared/public-api.js';
export { expressErrorHandler, type ExpressLikeRequest } from './express.js';

export interface NodeOptions extends Options {
  /** The file that keeps unsent events across restarts; false to keep them in memory only. */
  queueFile?: string | false;
  /** Host name reported as `server_name`. Default: os.hostname(). */
  serverName?: string;
  /** The app's root directory; frame file names are made relative to it. Default: process.cwd(). */
  root?: string;
  /** Replace the transport (tests). */
  transport?: Transport;
}

/** How long a process that ends on its own waits for what is still queued. */
const EXIT_FLUSH_MS = 2000;
/** Frames Node keeps in a stack trace once the SDK runs (its default is 10, Sentry's SDK also raises it to 50). */
const STACK_TRACE_LIMIT = 50;

/** Node's `--unhandled-rejections` mode: only `throw` and `strict` (the default) end the process. */
function rejectionsExit(): boolean {
  const flags = process.execArgv.join(' ') + ' ' + (process.env.NODE_OPTIONS || '');
  const m = /--unhandled-rejections[= ](\S+)/.exec(flags);
  return !m || m[1] === 'throw' || m[1] === 'strict';
}

/** Starts the SDK in a Node process. Never throws; a bad DSN leaves it off. */
export function init(options: NodeOptions): void {
  try {
    if (getClient() || options.enabled === false) return;
    if (Error.stackTraceLimit < STACK_TRACE_LIMIT) Error.stackTraceLimit = STACK_TRACE_LIMIT;
    const ep = resolveEndpoint(options.dsn, options.endpoint, options.key);
    if (!ep && !options.transport) return;
    const file = options.queueFile === undefined && ep ? defaultQueuePath(ep.url, ep.key) : options.queueFile;
    const transport =
      options.transport ||
      createTransport({
        // maxQueue, batchSize, batchDelay, maxAge, retryBase: the same names in both
        ...options,
        send: httpSender(ep!),
        store: file ? fileStore(file) : undefined,
        // a pending retry must not keep the host process alive
        timers: { ...defaultTimers, set: (fn, ms) => setTimeout(fn, ms).unref() },
      });
    const serverName = options.serverName || hostname();
    const root = options.root || process.cwd();
    const client = createClient(options, {
      platform: 'node',
      sdkName: 'faultline.javascript.node',
      transport,
      enrich(event: FaultlineEvent) {
        event.server_name = serverName;
        relativeToRoot(event, root);
        event.contexts = {
          runtime: { name: 'node', version: process.version },
          os: { name: platform(), version: release() },
          ...event.contexts,
        };
      },
    });
    bindClient(client);
    const auto = options.autoCapture;
    if (auto !== false && !(typeof auto == 'object' && auto.process === false)) {
      client.teardown.push(installProcessHandlers(rejectionsExit()), installSignalHandlers(transport));
    }
    // a process that ends on its own sends what is queued first (once; the file keeps the rest)
    let flushed = false;
    const beforeExit = (): void => {
      if (!flushed && transport.stats().queued) {
        flushed = true;
        // the transport's timers are unref'd; this one holds the process open until the flush ends
        const keep = setTimeout(() => undefined, EXIT_FLUSH_MS + 500);
        void transport.flush(EXIT_FLUSH_MS).then(() => clearTimeout(keep));
      }
    };
    process.on('beforeExit', beforeExit);
    client.teardown.push(() => process.off('beforeExit', beforeExit));
  } catch {
    // the SDK stays off, the app runs on
  }
}
