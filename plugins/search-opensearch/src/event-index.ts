/**
 * The event index as data: an index template for `<prefix>-*` (keyword fields for filters, text for free
 * text, tags and user fields as nested key/value pairs so one mapping holds any tag name and a tag
 * summary can aggregate them), and the daily index an event goes to.
 *
 * Nested rather than flattened: a flattened field cannot be aggregated by key, which the tag summary
 * needs; nested pairs keep key and value of one tag together in queries.
 */
export function eventIndexTemplate(prefix: string): { index_patterns: string[]; template: Record<string, unknown>; priority: number } {
  return {
    index_patterns: [`${prefix}-*`],
    priority: 100,
    template: {
      settings: {
        number_of_shards: 1,
        refresh_interval: '5s',
        'index.mapping.nested_objects.limit': 200,
      },
      mappings: {
        dynamic: 'strict',
        properties: {
          project_id: { type: 'integer' },
          issue_id: { type: 'keyword' },
          event_id: { type: 'keyword' },
          received_at: { type: 'date' },
          level: { type: 'keyword' },
          release: { type: 'keyword' },
          environment: { type: 'keyword' },
          error_type: { type: 'keyword' },
          text: { type: 'text', analyzer: 'standard' },
          tags: {
            type: 'nested',
            properties: { key: { type: 'keyword' }, value: { type: 'keyword', ignore_above: 256 } },
          },
          stack: {
            properties: { filename: { type: 'keyword', ignore_above: 512 }, function: { type: 'keyword', ignore_above: 512 } },
          },
        },
      },
    },
  };
}

/** The daily index of an event received at `receivedAt`: `<prefix>-2026.03.01`. */
export function eventIndexName(prefix: string, receivedAt: string | Date): string {
  const d = new Date(receivedAt);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getUTCFullYear()}.${pad(d.getUTCMonth() + 1)}.${pad(d.getUTCDate())}`;
}

/** The day an index holds, from its name; null for a name that is not one of ours. */
export function indexDay(prefix: string, name: string): Date | null {
  const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`).exec(name);
  if (!m) return null;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(day.getTime()) ? null : day;
}

/** The indices wholly older than the retention: deleted whole, never by query. */
export function expiredIndices(prefix: string, names: string[], retentionDays: number, now: Date): string[] {
  const cutoff = now.getTime() - retentionDays * 86_400_000;
  return names.filter((name) => {
    const day = indexDay(prefix, name);
    return day !== null && day.getTime() + 86_400_000 <= cutoff;
  });
}
