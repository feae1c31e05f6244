import { createHttpClient } from '../shared/http.js';
import { summarize } from '../shared/stats.js';

export interface LoadResult {
  seconds: number;
  accepted: number;
  retries: number;
  requestMs: ReturnType<typeof summarize>;
}

/**
 * Sends prebuilt `{"events":[...]}` bodies from `clients` concurrent keep-alive connections, each taking
 * the next body as soon as its previous request is answered. 503/429 answers are retried after a pause
 * (and counted); any other non-202 fails the run.
 */
export async function sendBatches(url: string, publicKey: string, bodies: Buffer[], clients: number): Promise<LoadResult> {
  const http = createHttpClient(clients);
  const endpoint = `${url}/api/v1/events`;
  const requestMs: number[] = [];
  let next = 0;
  let accepted = 0;
  let retries = 0;

  async function client(): Promise<void> {
    while (next < bodies.length) {
      const body = bodies[next++];
      for (;;) {
        const start = performance.now();
        const res = await http.request('POST', endpoint, {
          authorization: `Bearer ${publicKey}`,
          'content-type': 'application/json',
          'content-length': String(body.length),
        }, body);
        requestMs.push(performance.now() - start);
        if (res.status === 202) {
          accepted += (JSON.parse(res.body) as { accepted: number }).accepted;
          break;
        }
        if (res.status === 503 || res.status === 429) {
          retries++;
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        throw new Error(`ingest answered ${res.status}: ${res.body.slice(0, 500)}`);
      }
    }
  }

  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    http.close();
  }
  return { seconds: (performance.now() - start) / 1000, accepted, retries, requestMs: summarize(requestMs) };
}
