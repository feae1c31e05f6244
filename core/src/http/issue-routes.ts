import { Router, type Request } from 'express';
import { requireProject, requireRole } from '../auth/grants.js';
import type { Grant } from '../config.js';
import type { IssueWorkflow } from '../issues/issue-workflow.js';
import type { IssueStatus } from '../providers/storage.js';
import { tokenErrors, type ApiOperation } from '../openapi/api-operation.js';
import { ISSUE, listOf } from '../openapi/api-shapes.js';
import { bulkPatch, bulkQuery, issuePatch } from './issue-schemas.js';
import { parseInput } from './parse-input.js';
import { issueParams as idParams, projectParams } from './route-params.js';

export interface IssueRouteDeps {
  grant(req: Request): Promise<Grant>;
  issues: IssueWorkflow;
}

/** Status changes through the issue workflow: members of the issue's project only. */
export function issueRoutes(deps: IssueRouteDeps): Router {
  const router = Router();

  router.patch('/api/v1/issues/:id', async function updateIssue(req, res) {
    const grant = await deps.grant(req);
    requireRole(grant, 'member');
    const { id } = parseInput<{ id: string }>(idParams, req.params, 'params');
    const patch = parseInput<{ status: IssueStatus }>(issuePatch, req.body, 'body');
    res.json((await deps.issues.change(id, patch.status, grant)).issue);
  });

  /** Bulk: the ids as `?id=1&id=2` or as `ids` in the body; every one must be in the project, or none changes. */
  router.patch('/api/v1/projects/:id/issues', async function updateIssues(req, res) {
    const grant = await deps.grant(req);
    requireRole(grant, 'member');
    const { id: projectId } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    requireProject(grant, projectId);
    const patch = parseInput<{ status: IssueStatus; ids?: string[] }>(bulkPatch, req.body, 'body');
    const query = parseInput<{ id?: string | string[] }>(bulkQuery, req.query, 'query');
    const ids = [...(patch.ids ?? []), ...(query.id === undefined ? [] : [query.id].flat())];
    const changes = await deps.issues.changeMany(projectId, ids, patch.status, grant);
    res.json({ data: changes.map((c) => c.issue) });
  });

  return router;
}

/** The operations of these routes, for the OpenAPI document. */
export const issueOperations: ApiOperation[] = [
  {
    method: 'patch',
    path: '/api/v1/issues/{id}',
    operationId: 'updateIssue',
    summary: 'Resolve, ignore or reopen an issue (member role)',
    tags: ['issues'],
    security: 'secretToken',
    params: idParams,
    body: { schema: issuePatch },
    responses: { 200: { description: 'The changed issue', schema: ISSUE }, ...tokenErrors(400, 404, 413, 415) },
  },
  {
    method: 'patch',
    path: '/api/v1/projects/{id}/issues',
    operationId: 'updateIssues',
    summary: 'Change the status of many issues of a project: every one, or none (member role)',
    description: 'The ids as `?id=1&id=2`, as `ids` in the body, or both.',
    tags: ['issues'],
    security: 'secretToken',
    params: projectParams,
    query: bulkQuery,
    body: { schema: bulkPatch },
    responses: { 200: { description: 'The changed issues', schema: listOf(ISSUE) }, ...tokenErrors(400, 404, 413, 415) },
  },
];
