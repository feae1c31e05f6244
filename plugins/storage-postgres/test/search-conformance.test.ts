import { StorageSearch, type SearchProvider } from '@faultline/core';
import { searchConformance } from '@faultline/core/testing';
import { searchIssues } from '../src/search-queries.js';
import { createHarness } from './helpers.js';

searchConformance('PostgreSQL (the default search)', async () => {
  const h = await createHarness();
  return { storage: h.storage, search: new StorageSearch(() => h.storage), projectId: h.projectId, close: () => h.close() };
});

// The data set is small, so the default search answers every event condition as a list of issues; these
// runs check the other two ways: issue by issue (when many events match; a negated tag or user field
// walks two issues, then reads the rest as a hashed set), and PostgreSQL's own EXISTS.
for (const [label, perIssueFrom] of [['PostgreSQL, event conditions checked per issue', 1], ["PostgreSQL, event conditions as PostgreSQL plans EXISTS", 0]] as const) {
searchConformance(label, async () => {
  const h = await createHarness();
  const base = new StorageSearch(() => h.storage);
  const search: SearchProvider = {
    name: 'postgres-per-issue',
    searchIssues: async (projectId, query) => searchIssues(await h.sql(), projectId, query, perIssueFrom, 2),
    searchEvents: (projectId, query) => base.searchEvents(projectId, query),
    eventStats: (projectId, query) => base.eventStats(projectId, query),
    tagSummary: (projectId, issueId, query) => base.tagSummary(projectId, issueId, query),
  };
  return { storage: h.storage, search, projectId: h.projectId, close: () => h.close() };
});
}
