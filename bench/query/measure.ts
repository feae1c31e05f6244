import pg from 'pg';
import { createHttpClient } from '../shared/http.js';
import { summarize } from '../shared/stats.js';

export type Timing = ReturnType<typeof summarize>;

/** Times `path` (relative to the Faultline mount) `times` times, one request at a time; non-200 fails. */
export function createTimer(url: string, token: string) {
  const http = createHttpClient(1);
  const headers = { authorization: `Bearer ${token}` };

  async function get(path: string): Promise<{ ms: number; body: any }> {
    const start = performance.now();
    const res = await http.request('GET', `${url}${path}`, headers);
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.body.slice(0, 300)}`);
    return { ms, body: JSON.parse(res.body) };
  }

  /**
   * A few unmeasured warm-up requests, then `times` measured ones (paths chosen per iteration); a slow
   * kind stops after `budgetMs` once it has 30 samples, so the whole bench stays within minutes.
   */
  async function time(pathOf: (i: number) => string, times: number, check?: (body: any) => void, budgetMs = 10_000): Promise<Timing> {
    for (let i = 0; i < 5; i++) await get(pathOf(i));
    const ms: number[] = [];
    const start = performance.now();
    for (let i = 0; i < times && (i < 30 || performance.now() - start < budgetMs); i++) {
      const r = await get(pathOf(i));
      check?.(r.body);
      ms.push(r.ms);
    }
    return summarize(ms);
  }

  /**
   * Follows nextCursor from the first page for `pages` pages; times every page and reports the deep ones
   * (past `deepFrom`) separately. Also checks no issue repeats across pages.
   */
  async function walk(firstPath: string, pages: number, deepFrom: number): Promise<{ all: Timing; deep: Timing; issuesSeen: number }> {
    const all: number[] = [];
    const deep: number[] = [];
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let page = 0; page < pages; page++) {
      const sep = firstPath.includes('?') ? '&' : '?';
      const r = await get(cursor ? `${firstPath}${sep}cursor=${encodeURIComponent(cursor)}` : firstPath);
      all.push(r.ms);
      if (page >= deepFrom) deep.push(r.ms);
      for (const issue of r.body.data as { id: string }[]) {
        if (seen.has(issue.id)) throw new Error(`issue ${issue.id} repeated on page ${page} of ${firstPath}`);
        seen.add(issue.id);
      }
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    return { all: summarize(all), deep: summarize(deep), issuesSeen: seen.size };
  }

  return { get, time, walk, close: () => http.close() };
}

/**
 * Times one SQL statement `times` times straight on the database (after a few unmeasured runs), in a
 * session with `settings` (`SET ...`): a floor for a kind.
 */
export async function timeSql(databaseUrl: string, sql: string, params: unknown[], times: number, settings: string[] = []): Promise<Timing> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const setting of settings) await client.query(setting);
    for (let i = 0; i < 5; i++) await client.query(sql, params);
    const ms: number[] = [];
    for (let i = 0; i < times; i++) {
      const start = performance.now();
      await client.query(sql, params);
      ms.push(performance.now() - start);
    }
    return summarize(ms);
  } finally {
    await client.end();
  }
}
