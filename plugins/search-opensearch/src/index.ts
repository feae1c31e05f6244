import { definePlugin, FaultlineError, type FaultlinePlugin } from '@faultline/core';
import { openSearchApi, type OpenSearchApi } from './opensearch-api.js';
import { OpenSearchSearch } from './opensearch-search.js';
import { defaultOptions, type OpenSearchOptions } from './options.js';

export { eventIndexTemplate, eventIndexName, expiredIndices } from './event-index.js';
export { eventDocument, type EventDocument } from './event-document.js';
export { eventQueries, freeTextQuery, matchQuery, isEventTerm } from './query-dsl.js';
export { OpenSearchSearch, INDEX_EVENTS, DROP_EXPIRED_INDICES, type ReindexOptions } from './opensearch-search.js';
export { openSearchApi, type OpenSearchApi } from './opensearch-api.js';
export { defaultOptions, type OpenSearchOptions } from './options.js';

/**
 * `searchOpenSearch({ url })`: the `search` provider on an OpenSearch cluster. Needs a storage with
 * search (Postgres) as the source of truth; indexing runs on `jobs`, fed by `event:stored` on `pubsub`.
 * `api` replaces the client (tests).
 */
export function searchOpenSearch(input: Partial<OpenSearchOptions> & { api?: OpenSearchApi } = {}): FaultlinePlugin {
  const { api: given, ...rest } = input;
  const options: OpenSearchOptions = { ...defaultOptions, ...rest, url: rest.url ?? process.env.FAULTLINE_OPENSEARCH_URL };
  return definePlugin({
    name: '@faultline/plugin-search-opensearch',
    core: '^0.1.0',
    setup(ctx) {
      if (!given && !options.url) {
        throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', 'searchOpenSearch needs a url (or FAULTLINE_OPENSEARCH_URL)', { path: 'url' });
      }
      const api = given ?? openSearchApi(options.url as string, options);
      ctx.provide(
        'search',
        new OpenSearchSearch(api, { storage: () => ctx.need('storage'), jobs: () => ctx.need('jobs'), pubsub: () => ctx.need('pubsub'), log: ctx.log }, options),
      );
    },
  });
}
