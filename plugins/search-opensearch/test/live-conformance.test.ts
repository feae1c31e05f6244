import { pino } from 'pino';
import { InProcessJobs, InProcessPubSub } from '@faultline/core';
import { PostgresStorage } from '@faultline/plugin-storage-postgres';
import { createTestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { searchConformance } from '@faultline/core/testing';
import { defaultOptions, OpenSearchSearch, openSearchApi } from '../src/index.js';

const url = process.env.FAULTLINE_TEST_OPENSEARCH_URL;

if (!url) {
  describe('search conformance: OpenSearch (live cluster)', () => {
    it('is skipped: set FAULTLINE_TEST_OPENSEARCH_URL to an OpenSearch cluster to run it');
  });
} else {
  searchConformance('OpenSearch (live cluster)', async () => {
    const db = await createTestDatabase();
    const storage = new PostgresStorage({ url: db.url });
    await storage.connect();
    await storage.migrate();
    const project = await storage.createProject({ name: 'Search', slug: `search-${Date.now()}` });
    const log = pino({ level: 'silent' });
    const options = { ...defaultOptions, indexPrefix: `faultline-test-${Date.now()}` };
    const api = openSearchApi(url, options);
    const search = new OpenSearchSearch(api, { storage: () => storage, jobs: () => new InProcessJobs({ claim: async () => true, log } as never), pubsub: () => new InProcessPubSub(log), log }, options);
    return {
      storage,
      search,
      projectId: project.id,
      async seeded() {
        await search.reindex({ projectId: project.id });
      },
      async close() {
        for (const name of await api.listIndices(`${options.indexPrefix}-*`)) await api.deleteIndex(name);
        await api.close();
        await storage.close();
        await db.drop();
      },
    };
  });
}
