import { Client } from '@opensearch-project/opensearch';

type Dsl = Record<string, unknown>;

/**
 * The few calls the plugin makes, so the rest of it (and its tests) do not depend on the client's
 * shapes. `openSearchApi` adapts the official client; tests pass a fake.
 */
export interface OpenSearchApi {
  putIndexTemplate(name: string, body: Dsl): Promise<void>;
  /** Index operations; resolves the positions of the documents the cluster refused, with the reason. */
  bulkIndex(docs: { index: string; id: string; doc: object }[]): Promise<{ failed: { position: number; status: number; reason: string }[] }>;
  search(index: string, body: Dsl): Promise<Dsl>;
  listIndices(pattern: string): Promise<string[]>;
  deleteIndex(name: string): Promise<void>;
  refresh(pattern: string): Promise<void>;
  close(): Promise<void>;
}

/** Every call has the request timeout and the client's own retry count (options.ts). */
export function openSearchApi(url: string, options: { requestTimeoutMs: number; maxRetries: number }): OpenSearchApi {
  const client = new Client({ node: url, requestTimeout: options.requestTimeoutMs, maxRetries: options.maxRetries });
  return {
    async putIndexTemplate(name, body) {
      await client.indices.putIndexTemplate({ name, body: body as never });
    },
    async bulkIndex(docs) {
      if (docs.length === 0) return { failed: [] };
      const body = docs.flatMap((d) => [{ index: { _index: d.index, _id: d.id } }, d.doc]);
      const res = await client.bulk({ body });
      const failed: { position: number; status: number; reason: string }[] = [];
      if (res.body.errors) {
        res.body.items.forEach((item, position) => {
          const op = item.index;
          if (op?.error) failed.push({ position, status: op.status, reason: String(op.error.reason ?? op.error.type) });
        });
      }
      return { failed };
    },
    async search(index, body) {
      const res = await client.search({ index, body: body as never, ignore_unavailable: true, allow_no_indices: true });
      return res.body as unknown as Dsl;
    },
    async listIndices(pattern) {
      const res = await client.cat.indices({ index: pattern, format: 'json', h: 'index' } as never);
      return ((res.body ?? []) as unknown as { index: string }[]).map((r) => r.index);
    },
    async deleteIndex(name) {
      await client.indices.delete({ index: name });
    },
    async refresh(pattern) {
      await client.indices.refresh({ index: pattern, ignore_unavailable: true, allow_no_indices: true } as never);
    },
    async close() {
      await client.close();
    },
  };
}
