import { errorEvent } from './events.js';

export const KINDS = ['A', 'B', 'C', 'D', 'E'];

export interface Load {
  /** Events answered 202, by kind (what every issue count must equal). */
  acknowledged: Record<string, number>;
  /** Answers other than 202 seen on the way (each was retried), by status; 0 for a refused connection. */
  retried: Record<number, number>;
}

/**
 * `clients` SDK-like senders, each posting `requests` requests of `perRequest` events to the ingest URLs
 * in turn. A request answered 503 or 429, or whose connection failed, is sent again with the same event
 * ids until it gets its 202, as our SDK and Sentry's do. `onProgress` sees each 202.
 */
export async function sendLoad(options: {
  urls: () => string[];
  publicKey: string;
  clients: number;
  requests: number;
  perRequest: number;
  /** Fixed event ids, to send the same events to two installations. */
  ids?: string[][];
  onAcknowledged?: (total: number) => void | Promise<void>;
  onRetried?: (status: number) => void;
}): Promise<Load> {
  const load: Load = { acknowledged: Object.fromEntries(KINDS.map((k) => [k, 0])), retried: {} };
  let total = 0;
  let next = 0;
  async function client(c: number): Promise<void> {
    for (;;) {
      const n = next++;
      if (n >= options.requests) return;
      const events = Array.from({ length: options.perRequest }, (_, i) => errorEvent(KINDS[(n + i) % KINDS.length], options.ids?.[n]?.[i]));
      const body = JSON.stringify({ events });
      for (let attempt = 0; ; attempt++) {
        const urls = options.urls();
        const url = urls[(n + attempt + c) % urls.length];
        let status = 0;
        try {
          const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${options.publicKey}` }, body });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          status = 0;
        }
        if (status === 202) break;
        if (status !== 0 && status !== 503 && status !== 429) throw new Error(`ingest answered ${status}`);
        load.retried[status] = (load.retried[status] ?? 0) + 1;
        options.onRetried?.(status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const e of events) load.acknowledged[e.exception.values[0].type.replace('ScaleError', '')]++;
      total += events.length;
      await options.onAcknowledged?.(total);
    }
  }
  await Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return load;
}

/** The issue counts a load must leave: one issue per kind, counting every acknowledged event once. */
export function expectedIssueCounts(load: Load): Record<string, number> {
  return Object.fromEntries(Object.entries(load.acknowledged).filter(([, n]) => n > 0).map(([k, n]) => [`ScaleError${k}`, n]));
}
