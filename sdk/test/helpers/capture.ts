import type { FaultlineEvent } from '../../src/shared/types.js';
import type { Transport } from '../../src/transports/types.js';

/** A transport that only records what it was given. */
export function recordingTransport(): Transport & { events: FaultlineEvent[] } {
  const events: FaultlineEvent[] = [];
  return {
    events,
    add: (e) => void events.push(e),
    flush: async () => true,
    hide: () => undefined,
    online: () => undefined,
    stats: () => ({ queued: 0, dropped: 0 }),
  };
}
