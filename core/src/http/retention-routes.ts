import { Router, type Request } from 'express';
import { requireProject, requireRole } from '../auth/grants.js';
import type { Grant } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { StorageProvider } from '../providers/storage.js';
import { applyRetentionPatch, retentionPatchSchema, type RetentionPatch } from '../retention/retention-policy.js';
import { parseInput } from './parse-input.js';
import { tokenErrors, type ApiOperation } from '../openapi/api-operation.js';
import { RETENTION_POLICY } from '../openapi/api-shapes.js';

const projectParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } };

export interface RetentionRouteDeps {
  storage(): StorageProvider;
  grant(req: Request): Promise<Grant>;
}

/** `GET/PUT /api/v1/projects/:id/retention`: a project's retention policy, for the project's admins. */
export function retentionRoutes(deps: RetentionRouteDeps): Router {
  const router = Router();

  async function adminProject(req: Request): Promise<number> {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    requireRole(grant, 'admin');
    if (!(await deps.storage().getProject(id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
    return id;
  }

  router.get('/api/v1/projects/:id/retention', async function getRetention(req, res) {
    const id = await adminProject(req);
    res.json(await deps.storage().getRetention(id));
  });

  router.put('/api/v1/projects/:id/retention', async function putRetention(req, res) {
    const id = await adminProject(req);
    const patch = parseInput<RetentionPatch>(retentionPatchSchema, req.body ?? {}, 'body');
    const next = applyRetentionPatch(await deps.storage().getRetention(id), patch);
    res.json(await deps.storage().setRetention(id, next));
  });

  return router;
}

/** The OpenAPI operations of these routes. */
export const retentionOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/projects/{id}/retention',
    operationId: 'getRetention',
    summary: 'A project’s retention policy (the defaults when it never set one)',
    tags: ['admin'],
    security: 'secretToken',
    params: projectParams,
    responses: { 200: { description: 'The policy', schema: RETENTION_POLICY }, ...tokenErrors(400, 404) },
  },
  {
    method: 'put',
    path: '/api/v1/projects/{id}/retention',
    operationId: 'setRetention',
    summary: 'Change a project’s retention policy (only the fields given)',
    tags: ['admin'],
    security: 'secretToken',
    params: projectParams,
    body: { schema: retentionPatchSchema },
    responses: { 200: { description: 'The policy as stored', schema: RETENTION_POLICY }, ...tokenErrors(400, 404, 413, 415) },
  },
];
