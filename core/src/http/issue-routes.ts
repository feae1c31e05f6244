import { Router, type Request } from 'express';
import { requireProject, requireRole } from '../auth/grants.js';
import type { Grant } from '../config.js';
import { MAX_BULK_ISSUES, type IssueWorkflow } from '../issues/issue-workflow.js';
import { ISSUE_STATUSES, type IssueStatus } from '../providers/storage.js';
import { parseInput } from './parse-input.js';

const issueId = { type: 'string', pattern: '^[1-9][0-9]{0,18}$' };
const idParams = { type: 'object', required: ['id'], properties: { id: issueId } };
const projectParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } };
const status = { type: 'string', enum: [...ISSUE_STATUSES] };
const issuePatch = { type: 'object', required: ['status'], additionalProperties: false, properties: { status } };
const bulkPatch = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status, ids: { type: 'array', minItems: 1, maxItems: MAX_BULK_ISSUES, items: issueId } },
};
const bulkQuery = {
  type: 'object',
  properties: { id: { anyOf: [issueId, { type: 'array', maxItems: MAX_BULK_ISSUES, items: issueId }] } },
};

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
