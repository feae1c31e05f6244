import { Router, type Request } from 'express';
import { requireProject } from '../auth/grants.js';
import type { Grant } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { EventOrder, Issue, IssueSort, StatsInterval, StorageProvider } from '../providers/storage.js';
import type { SearchProvider } from '../providers/search.js';
import { parseSearchQuery } from '../query/parse-search.js';
import type { ArchiveProvider } from '../providers/archive.js';
import { eventGoneError } from '../retention/event-gone.js';
import { parseInput } from './parse-input.js';
import { eventParams, issueEventsQuery, issueListQuery, statsQuery, tagsQuery } from './query-schemas.js';
import { issueParams as idParams, projectParams } from './route-params.js';
import { tokenErrors, type ApiOperation } from '../openapi/api-operation.js';
import { EVENT_PAGE, ISSUE_PAGE, EVENT, ISSUE, STATS, TAG_SUMMARY } from '../openapi/api-shapes.js';

/** Sentry's sort names, for people used to them. */
const SORT_ALIASES: Record<string, IssueSort> = { date: 'last_seen', new: 'first_seen', freq: 'count' };

export interface QueryRouteDeps {
  storage(): StorageProvider;
  /** The archive, when one is configured: an event it holds answers 410 with where it is. */
  archive?(): ArchiveProvider | null;
  /** Issue and event lists go through `search` (default: the storage's own). */
  search(): SearchProvider;
  grant(req: Request): Promise<Grant>;
}

/** Issues, events and stats: what widgets and API clients read. */
export function queryRoutes(deps: QueryRouteDeps): Router {
  const router = Router();

  router.get('/api/v1/projects/:id/issues', async function listIssues(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const q = parseInput<{ query?: string; sort?: string; cursor?: string; offset?: number; total?: boolean; limit: number }>(issueListQuery, req.query, 'query');
    if (q.cursor !== undefined && q.offset !== undefined) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'Give either cursor or offset, not both', { path: 'offset' });
    }
    if (q.cursor !== undefined && q.total) {
      throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'total is counted for pages asked for by offset, not by cursor', { path: 'total' });
    }
    const grant = await deps.grant(req);
    requireProject(grant, id);
    const ast = parseSearchQuery(q.query ?? 'is:unresolved');
    const sort = (SORT_ALIASES[q.sort ?? ''] ?? q.sort ?? 'last_seen') as IssueSort;
    res.json(await deps.search().searchIssues(id, { ast, sort, cursor: q.cursor, offset: q.offset, total: q.total, limit: q.limit }));
  });

  router.get('/api/v1/issues/:id', async function getIssue(req, res) {
    res.json(await visibleIssue(req));
  });

  router.get('/api/v1/issues/:id/events', async function listIssueEvents(req, res) {
    const issue = await visibleIssue(req);
    const page = parseInput<{ cursor?: string; limit: number; order: EventOrder }>(issueEventsQuery, req.query, 'query');
    const found = await deps.search().searchEvents(issue.projectId, { filters: { issueId: issue.id }, cursor: page.cursor, limit: page.limit, order: page.order });
    res.json({ ...found, prevCursor: found.prevCursor ?? null });
  });

  router.get('/api/v1/issues/:id/tags', async function issueTags(req, res) {
    const issue = await visibleIssue(req);
    const q = parseInput<{ values: number }>(tagsQuery, req.query, 'query');
    res.json({ data: await deps.search().tagSummary(issue.projectId, issue.id, { valuesPerTag: q.values }) });
  });

  router.get('/api/v1/events/:id', async function getEvent(req, res) {
    const { id } = parseInput<{ id: string }>(eventParams, req.params, 'params');
    const grant = await deps.grant(req);
    const event = await deps.storage().getEvent(id.replace(/-/g, '').toLowerCase(), grant.projectIds);
    if (!event) throw await eventGoneError(deps.storage(), deps.archive?.() ?? null, id, grant.projectIds);
    res.json(event);
  });

  router.get('/api/v1/projects/:id/stats', async function projectStats(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const q = parseInput<{ since?: string; until?: string; interval: StatsInterval; issue?: string }>(statsQuery, req.query, 'query');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    const until = q.until ? parseTime(q.until, 'until') : new Date();
    const since = q.since ? parseTime(q.since, 'since') : new Date(until.getTime() - (q.interval === 'day' ? 30 : 1) * 86400_000);
    if (since >= until) throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'since must be before until', { path: 'since' });
    const buckets = (until.getTime() - since.getTime()) / (q.interval === 'day' ? 86400_000 : 3600_000);
    if (buckets > 2000) throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', 'At most 2000 buckets per query', { path: 'since' });
    if (q.issue) {
      const issue = await deps.storage().getIssue(q.issue);
      if (!issue || issue.projectId !== id) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Issue not found');
    }
    const series = await deps.search().eventStats(id, { since, until, interval: q.interval, issueId: q.issue });
    res.json({ series });
  });

  return router;

  /** The issue in `req.params.id` if the caller may see it; 404 otherwise, whether it exists or not. */
  async function visibleIssue(req: Request, known?: Grant): Promise<Issue> {
    const { id } = parseInput<{ id: string }>(idParams, req.params, 'params');
    const grant = known ?? (await deps.grant(req));
    const issue = await deps.storage().getIssue(id);
    if (!issue || (grant.projectIds !== null && !grant.projectIds.includes(issue.projectId))) {
      throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Issue not found');
    }
    return issue;
  }
}

/** The operations of these routes, for the OpenAPI document. */
export const queryOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/issues/{id}/tags',
    operationId: 'issueTagSummary',
    summary: 'Top values per tag among an issue’s events',
    tags: ['query'],
    security: 'secretToken',
    params: idParams,
    query: tagsQuery,
    responses: { 200: { description: 'Each tag with its top values', schema: TAG_SUMMARY }, ...tokenErrors(400, 404) },
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/issues',
    operationId: 'listIssues',
    summary: 'List a project’s issues, by cursor or by offset',
    tags: ['query'],
    security: 'secretToken',
    params: projectParams,
    query: issueListQuery,
    responses: { 200: { description: 'A page of issues (with `total` when asked for)', schema: ISSUE_PAGE }, ...tokenErrors(400, 404) },
  },
  {
    method: 'get',
    path: '/api/v1/issues/{id}',
    operationId: 'getIssue',
    summary: 'Get an issue',
    tags: ['query'],
    security: 'secretToken',
    params: idParams,
    responses: { 200: { description: 'The issue', schema: ISSUE }, ...tokenErrors(400, 404) },
  },
  {
    method: 'get',
    path: '/api/v1/issues/{id}/events',
    operationId: 'listIssueEvents',
    summary: 'List an issue’s events, newest or oldest first, paged both ways',
    tags: ['query'],
    security: 'secretToken',
    params: idParams,
    query: issueEventsQuery,
    responses: { 200: { description: 'A page of events', schema: EVENT_PAGE }, ...tokenErrors(400, 404) },
  },
  {
    method: 'get',
    path: '/api/v1/events/{id}',
    operationId: 'getEvent',
    summary: 'Get an event by its event id (32 hex digits, or a UUID)',
    tags: ['query'],
    security: 'secretToken',
    params: eventParams,
    responses: { 200: { description: 'The event', schema: EVENT }, ...tokenErrors(400, 404, 410) },
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/stats',
    operationId: 'projectStats',
    summary: 'Event counts per hour or day (of a project, or of one issue)',
    tags: ['query'],
    security: 'secretToken',
    params: projectParams,
    query: statsQuery,
    responses: { 200: { description: 'The series, oldest first', schema: STATS }, ...tokenErrors(400, 404) },
  },
];

function parseTime(value: string, path: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `${path} is not a valid time`, { path });
  return d;
}
