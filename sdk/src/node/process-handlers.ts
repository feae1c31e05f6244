import { inspect } from 'node:util';
import { captureError, flush } from '../shared/api.js';
import type { Mechanism } from '../shared/types.js';

/** How long a crashing process waits for its report before it exits. */
export const CRASH_FLUSH_MS = 2000;

/**
 * Reports, flushes, then does what Node would have done without us: print the error and exit with 1.
 * When the app has uncaughtException listeners of its own, they decide, and we do not exit.
 */
function crash(err: unknown, mechanism: Mechanism, listener: (...a: never[]) => void, event: string): void {
  captureError(err, mechanism, { level: 'fatal' });
  if (process.listeners(event as 'uncaughtException').some((l) => l !== listener)) return;
  process.exitCode = 1;
  // a ref'd timer keeps the process alive while the report goes out (the transport's timers are unref'd)
  const keep = setTimeout(() => undefined, CRASH_FLUSH_MS + 500);
  flush(CRASH_FLUSH_MS)
    .catch(() => false)
    .then(() => {
      clearTimeout(keep);
      process.stderr.write(inspect(err) + '\n');
      process.exit(1);
    });
}

/** `uncaughtException` and `unhandledRejection` reports. Returns a function that removes both handlers. */
export function installProcessHandlers(exitOnRejection: boolean): () => void {
  function onUncaught(err: unknown): void {
    crash(err, { type: 'onuncaughtexception', handled: false }, onUncaught, 'uncaughtException');
  }
  function onRejection(reason: unknown): void {
    const mechanism = { type: 'onunhandledrejection', handled: false };
    // Node's default for unhandled rejections (since 15) is to crash like an uncaught exception
    if (exitOnRejection) crash(reason, mechanism, onRejection, 'unhandledRejection');
    else captureError(reason, mechanism);
  }
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  return function uninstall() {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onRejection);
  };
}
