import pg from 'pg';

export interface StatementTiming {
  statement: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

/**
 * Times every query made through pg.Client in this process, by the statement's first words (what
 * pg_stat_statements would give, without a server restart to preload it). Bench-only instrumentation.
 */
export function timeSqlStatements(): () => StatementTiming[] {
  const totals = new Map<string, { calls: number; ms: number }>();
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function timedQuery(this: unknown, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: string } | undefined)?.text;
    const result = original.apply(this, args);
    // COPY (pg-copy-streams) passes a stream with its text and returns it: time it until it ends.
    const copyText = (config as { text?: string } | undefined)?.text;
    const isStream = result !== null && typeof result === 'object' && typeof (result as { on?: unknown }).on === 'function';
    if (isStream && typeof copyText === 'string') {
      const key = copyText.replace(/\s+/g, ' ').trim().slice(0, 70);
      const start = performance.now();
      const stream = result as { once(event: string, fn: () => void): void };
      let done = false;
      const record = () => {
        if (done) return;
        done = true;
        const entry = totals.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - start;
        totals.set(key, entry);
      };
      stream.once('finish', record);
      stream.once('error', record);
      return result;
    }
    if (typeof text !== 'string' || !(result instanceof Promise)) return result;
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const start = performance.now();
    const record = () => {
      const entry = totals.get(key) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - start;
      totals.set(key, entry);
    };
    result.then(record, record);
    return result;
  };
  return () =>
    [...totals.entries()]
      .map(([statement, t]) => ({ statement, calls: t.calls, totalMs: Math.round(t.ms), meanMs: +(t.ms / t.calls).toFixed(2) }))
      .sort((a, b) => b.totalMs - a.totalMs);
}
