import { StorageSearch } from '@faultline/core';
import { searchConformance } from '../../../core/src/testing/search-conformance.js';
import { createHarness } from './helpers.js';

searchConformance('PostgreSQL (the default search)', async () => {
  const h = await createHarness();
  return { storage: h.storage, search: new StorageSearch(() => h.storage), projectId: h.projectId, close: () => h.close() };
});
