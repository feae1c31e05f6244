import type { OpenSearchApi } from '../src/index.js';

/** Records what the plugin asks of the cluster; answers searches with `answer`, bulks with `failures`. */
export class FakeOpenSearch implements OpenSearchApi {
  templates: { name: string; body: Record<string, unknown> }[] = [];
  bulks: { index: string; id: string; doc: object }[][] = [];
  searches: { index: string; body: Record<string, unknown> }[] = [];
  indices: string[] = [];
  deleted: string[] = [];
  /** Per bulk call, in order: the failures it reports (then none). */
  failures: { position: number; status: number; reason: string }[][] = [];
  answer: (body: Record<string, unknown>) => Record<string, unknown> = () => ({});
  private bulkWaiters: (() => void)[] = [];

  async putIndexTemplate(name: string, body: Record<string, unknown>) {
    this.templates.push({ name, body });
  }
  async bulkIndex(docs: { index: string; id: string; doc: object }[]) {
    this.bulks.push(docs);
    for (const w of this.bulkWaiters.splice(0)) w();
    return { failed: this.failures.shift() ?? [] };
  }
  async search(index: string, body: Record<string, unknown>) {
    this.searches.push({ index, body });
    return this.answer(body);
  }
  async listIndices() {
    return this.indices;
  }
  async deleteIndex(name: string) {
    this.deleted.push(name);
  }
  async refresh() {}
  async close() {}

  /** Resolves once a bulk call has come in (now, if one has). */
  nextBulk(): Promise<void> {
    return this.bulks.length > 0 ? Promise.resolve() : new Promise((resolve) => this.bulkWaiters.push(resolve));
  }
}
