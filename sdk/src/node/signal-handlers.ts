import type { Transport } from '../transports/types.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * A process told to stop (SIGTERM, SIGINT) writes its unsent queue before it goes, so what it captured in
 * the same tick is sent by the next start. Then it does what Node would have done: when no other listener
 * of the app decides, the listener removes itself and raises the signal again, so the process ends by the
 * signal as before. Returns a function that removes the listeners.
 */
export function installSignalHandlers(transport: Transport): () => void {
  function onSignal(signal: NodeJS.Signals): void {
    transport.hide();
    if (process.listenerCount(signal) > 1) return;
    uninstall();
    // after the queue file is written (the file store is synchronous; its save waits only for microtasks)
    setImmediate(() => process.kill(process.pid, signal));
  }
  function uninstall(): void {
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  for (const s of SIGNALS) process.on(s, onSignal);
  return uninstall;
}
