import fc from 'fast-check';
import type { PostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import { request } from '../helpers/http.js';
import { hostileRequest, type HostileRequest } from './hostile-requests.js';

export interface FuzzSummary {
  cases: number;
  /** Answers by status code. */
  statuses: Record<string, number>;
  /** Answers by kind of input and status, to see what each kind exercised. */
  byKind: Record<string, Record<string, number>>;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

function urlOf(server: PostgresTestServer, req: HostileRequest): string {
  const key = server.project.publicKey;
  if (req.route === 'native') return `${server.url}/api/v1/events`;
  return `${server.url}/api/${server.project.id}/${req.route}/?sentry_key=${key}&sentry_version=7`;
}

/**
 * Sends `numRuns` generated hostile requests; the property is that no answer is a 5xx. Memory is
 * sampled after each answer so the caller can bound it. fast-check shrinks a failing case to a small one.
 */
export async function sendHostile(server: PostgresTestServer, numRuns: number, seed?: number): Promise<FuzzSummary> {
  const summary: FuzzSummary = { cases: 0, statuses: {}, byKind: {}, rssBeforeMb: rss(), rssPeakMb: 0, rssAfterMb: 0 };
  await fc.assert(
    fc.asyncProperty(hostileRequest(server.project.publicKey), async (req) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.route === 'native') headers.authorization = `Bearer ${server.project.publicKey}`;
      const res = await request(server, urlOf(server, req), { method: 'POST', headers, body: req.body }); // checks the answer is documented
      summary.cases++;
      summary.statuses[res.status] = (summary.statuses[res.status] ?? 0) + 1;
      const kind = (summary.byKind[req.kind.split(' at ')[0]] ??= {});
      kind[res.status] = (kind[res.status] ?? 0) + 1;
      summary.rssPeakMb = Math.max(summary.rssPeakMb, rss());
      if (res.status >= 500) throw new Error(`${req.kind} to ${req.route} got ${res.status}`);
    }),
    { numRuns, seed, endOnFailure: false },
  );
  summary.rssAfterMb = rss();
  return summary;
}

const rss = () => Math.round(process.memoryUsage().rss / 1024 / 1024);
