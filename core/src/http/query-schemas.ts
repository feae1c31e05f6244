import { EVENT_ORDERS, ISSUE_SORTS, MAX_ISSUE_OFFSET } from '../providers/storage.js';
import { ISSUE_ID } from './route-params.js';

export const eventParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-fA-F]{32}$|^[0-9a-fA-F-]{36}$' } } };
export const issueListQuery = {
  type: 'object',
  properties: {
    query: { type: 'string', maxLength: 1000, description: 'Search, as `is:resolved level:error release:1.2 text`; unresolved issues when absent' },
    sort: { type: 'string', enum: [...ISSUE_SORTS, 'date', 'new', 'freq'] },
    cursor: { type: 'string', maxLength: 1000, description: 'A `nextCursor` from the page before' },
    offset: {
      type: 'integer',
      minimum: 0,
      maximum: MAX_ISSUE_OFFSET,
      description: 'Instead of `cursor`: skip this many issues (random access, as a grid needs)',
    },
    total: {
      type: 'boolean',
      description: `Also count the matching issues (up to ${MAX_ISSUE_OFFSET}) as \`total\`; not with \`cursor\``,
    },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
  },
};
/** `GET /api/v1/issues/:id/events`: a page, either way, in either order. */
export const issueEventsQuery = {
  type: 'object',
  properties: {
    cursor: { type: 'string', maxLength: 1000, description: 'A `nextCursor` or `prevCursor` of a page in the same order' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
    order: { type: 'string', enum: [...EVENT_ORDERS], default: 'desc', description: '`desc`: newest first; `asc`: oldest first' },
  },
};
export const statsQuery = {
  type: 'object',
  properties: {
    since: { type: 'string', maxLength: 40 },
    until: { type: 'string', maxLength: 40 },
    interval: { type: 'string', enum: ['hour', 'day'], default: 'hour' },
    issue: ISSUE_ID,
  },
};

/** `GET /api/v1/issues/:id/tags`: how many top values per tag. */
export const tagsQuery = { type: 'object', properties: { values: { type: 'integer', minimum: 1, maximum: 100, default: 10 } } };
