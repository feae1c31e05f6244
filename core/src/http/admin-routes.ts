import { Router, type Request } from 'express';
import type { KeyResolver } from '../auth/key-resolver.js';
import { buildDsn } from '../auth/dsn.js';
import { requireGlobalAdmin, requireProject, requireRole } from '../auth/grants.js';
import { createProjectWithKey, createPublicKey, createToken } from '../admin/provisioning.js';
import type { Grant } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { Role, StorageProvider } from '../providers/storage.js';
import type { AuditLog } from '../audit/audit-log.js';
import { tokenErrors, type ApiOperation } from '../openapi/api-operation.js';
import { PROJECT_SCRUBBING, AUDIT_ENTRY, CREATED_PROJECT, CREATED_PUBLIC_KEY, CREATED_TOKEN, listOf, pageOf, PROJECT, PUBLIC_KEY, TOKEN } from '../openapi/api-shapes.js';
import { auditQuery, keyParams, newKey, newProject, newToken, tokenParams } from './admin-schemas.js';
import { parseInput } from './parse-input.js';
import { defaultProjectScrubbing } from '../scrub/scrubbing-rules.js';
import { parseScrubbingRules, scrubbingRulesSchema } from './scrubbing-input.js';
import { projectParams } from './route-params.js';

export interface AdminRouteDeps {
  storage(): StorageProvider;
  grant(req: Request): Promise<Grant>;
  keys: KeyResolver;
  audit: AuditLog;
  /** Makes this node use a project's new scrubbing rules from its next event (other nodes: within the rules' TTL). */
  forgetScrubbing(projectId: number): void;
}

/** Projects, public keys and secret tokens. */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const router = Router();
  const baseUrl = (req: Request) => `${req.protocol}://${req.get('host')}${req.baseUrl}`;

  router.get('/api/v1/projects', async function listProjects(req, res) {
    const grant = await deps.grant(req);
    const projects = await deps.storage().listProjects(grant.projectIds === null ? undefined : { ids: grant.projectIds });
    res.json({ data: projects });
  });

  router.post('/api/v1/projects', async function createProject(req, res) {
    const grant = await deps.grant(req);
    requireGlobalAdmin(grant);
    const input = parseInput<{ name: string; slug?: string }>(newProject, req.body, 'body');
    const created = await createProjectWithKey(deps.storage(), input);
    await deps.audit.record(req, grant, 'project.create', {
      projectId: created.project.id,
      target: String(created.project.id),
      details: { name: created.project.name, slug: created.project.slug, keyPrefix: created.publicKey.slice(0, 6) },
    });
    res.status(201).json({
      ...created.project,
      publicKey: created.publicKey,
      dsn: buildDsn(baseUrl(req), created.publicKey, created.project.id),
    });
  });

  router.get('/api/v1/projects/:id', async function getProject(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    requireProject(await deps.grant(req), id);
    const project = await deps.storage().getProject(id);
    if (!project) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
    res.json(project);
  });

  router.get('/api/v1/projects/:id/keys', async function listKeys(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    requireRole(grant, 'admin');
    res.json({ data: await deps.storage().listPublicKeys(id) });
  });

  router.post('/api/v1/projects/:id/keys', async function createKey(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    requireRole(grant, 'admin');
    if (!(await deps.storage().getProject(id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
    const input = parseInput<{ label?: string; allowedOrigins?: string[]; rateLimitPerMinute?: number | null }>(newKey, req.body ?? {}, 'body');
    const { record, publicKey } = await createPublicKey(deps.storage(), id, input);
    await deps.audit.record(req, grant, 'key.create', { projectId: id, target: String(record.id), details: { prefix: record.prefix, label: record.label } });
    res.status(201).json({ ...record, publicKey, dsn: buildDsn(baseUrl(req), publicKey, id) });
  });

  router.delete('/api/v1/projects/:id/keys/:keyId', async function revokeKey(req, res) {
    const { id, keyId } = parseInput<{ id: number; keyId: number }>(keyParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    requireRole(grant, 'admin');
    if (!(await deps.storage().revokePublicKey(id, keyId))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Key not found');
    deps.keys.clear();
    await deps.audit.record(req, grant, 'key.revoke', { projectId: id, target: String(keyId) });
    res.status(204).end();
  });

  router.get('/api/v1/projects/:id/scrubbing', async function getScrubbing(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    requireRole(grant, 'admin');
    if (!(await deps.storage().getProject(id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
    res.json((await deps.storage().getScrubbing(id)) ?? defaultProjectScrubbing());
  });

  router.put('/api/v1/projects/:id/scrubbing', async function setScrubbing(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireProject(grant, id);
    requireRole(grant, 'admin');
    const rules = parseScrubbingRules(req.body);
    if (!(await deps.storage().getProject(id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
    const saved = await deps.storage().setScrubbing(id, rules);
    deps.forgetScrubbing(id);
    await deps.audit.record(req, grant, 'scrubbing.update', { projectId: id, target: String(id), details: { ...rules, version: saved.version } });
    res.json(saved);
  });

  router.get('/api/v1/tokens', async function listTokens(req, res) {
    requireGlobalAdmin(await deps.grant(req));
    res.json({ data: await deps.storage().listTokens() });
  });

  router.post('/api/v1/tokens', async function createTokenRoute(req, res) {
    const grant = await deps.grant(req);
    requireGlobalAdmin(grant);
    const input = parseInput<{ role: Role; label?: string; projectIds?: number[] | null }>(newToken, req.body, 'body');
    const { record, token } = await createToken(deps.storage(), input);
    await deps.audit.record(req, grant, 'token.create', {
      target: String(record.id),
      details: { prefix: record.prefix, role: record.role, projectIds: record.projectIds, label: record.label },
    });
    res.status(201).json({ ...record, token });
  });

  router.delete('/api/v1/tokens/:id', async function revokeToken(req, res) {
    const { id } = parseInput<{ id: number }>(tokenParams, req.params, 'params');
    const grant = await deps.grant(req);
    requireGlobalAdmin(grant);
    if (!(await deps.storage().revokeToken(id))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Token not found');
    deps.keys.clear();
    await deps.audit.record(req, grant, 'token.revoke', { target: String(id) });
    res.status(204).end();
  });

  router.get('/api/v1/audit', async function listAudit(req, res) {
    const q = parseInput<{ project?: number; cursor?: string; limit: number }>(auditQuery, req.query, 'query');
    const grant = await deps.grant(req);
    requireRole(grant, 'admin');
    if (q.project !== undefined) requireProject(grant, q.project);
    const projectIds = q.project !== undefined ? [q.project] : grant.projectIds;
    res.json(await deps.storage().listAudit({ projectIds, cursor: q.cursor, limit: q.limit }));
  });

  return router;
}

const admin = (operation: Omit<ApiOperation, 'tags' | 'security'>): ApiOperation => ({ tags: ['admin'], security: 'secretToken', ...operation });

/** The operations of these routes, for the OpenAPI document. */
export const adminOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/projects/{id}/scrubbing',
    operationId: 'getScrubbing',
    summary: 'A project’s own scrubbing rules (on top of the defaults)',
    tags: ['admin'],
    security: 'secretToken',
    params: projectParams,
    responses: { 200: { description: 'The rules, version 0 when the project never set any', schema: PROJECT_SCRUBBING }, ...tokenErrors(400, 403, 404) },
  },
  {
    method: 'put',
    path: '/api/v1/projects/{id}/scrubbing',
    operationId: 'setScrubbing',
    summary: 'Replace a project’s own scrubbing rules (recorded in the audit log)',
    tags: ['admin'],
    security: 'secretToken',
    params: projectParams,
    body: { schema: scrubbingRulesSchema },
    responses: { 200: { description: 'The rules as stored, with their new version', schema: PROJECT_SCRUBBING }, ...tokenErrors(400, 403, 404) },
  },
  admin({
    method: 'get',
    path: '/api/v1/projects',
    operationId: 'listProjects',
    summary: 'List the projects the token may see',
    responses: { 200: { description: 'The projects', schema: listOf(PROJECT) }, ...tokenErrors() },
  }),
  admin({
    method: 'post',
    path: '/api/v1/projects',
    operationId: 'createProject',
    summary: 'Create a project with its first public key (global admin)',
    body: { schema: newProject },
    responses: { 201: { description: 'The project, its public key and DSN', schema: CREATED_PROJECT }, ...tokenErrors(400, 409, 413, 415) },
  }),
  admin({
    method: 'get',
    path: '/api/v1/projects/{id}',
    operationId: 'getProject',
    summary: 'Get a project',
    params: projectParams,
    responses: { 200: { description: 'The project', schema: PROJECT }, ...tokenErrors(400, 404) },
  }),
  admin({
    method: 'get',
    path: '/api/v1/projects/{id}/keys',
    operationId: 'listKeys',
    summary: 'List a project’s public keys (admin role)',
    params: projectParams,
    responses: { 200: { description: 'The keys, by prefix', schema: listOf(PUBLIC_KEY) }, ...tokenErrors(400, 404) },
  }),
  admin({
    method: 'post',
    path: '/api/v1/projects/{id}/keys',
    operationId: 'createKey',
    summary: 'Create a public key (admin role)',
    params: projectParams,
    body: { schema: newKey, required: false },
    responses: { 201: { description: 'The key and its DSN', schema: CREATED_PUBLIC_KEY }, ...tokenErrors(400, 404, 413, 415) },
  }),
  admin({
    method: 'delete',
    path: '/api/v1/projects/{id}/keys/{keyId}',
    operationId: 'revokeKey',
    summary: 'Revoke a public key (admin role)',
    params: keyParams,
    responses: { 204: { description: 'Revoked' }, ...tokenErrors(400, 404) },
  }),
  admin({
    method: 'get',
    path: '/api/v1/tokens',
    operationId: 'listTokens',
    summary: 'List secret tokens (global admin)',
    responses: { 200: { description: 'The tokens, by prefix', schema: listOf(TOKEN) }, ...tokenErrors() },
  }),
  admin({
    method: 'post',
    path: '/api/v1/tokens',
    operationId: 'createToken',
    summary: 'Create a secret token (global admin)',
    body: { schema: newToken },
    responses: { 201: { description: 'The token', schema: CREATED_TOKEN }, ...tokenErrors(400, 413, 415) },
  }),
  admin({
    method: 'delete',
    path: '/api/v1/tokens/{id}',
    operationId: 'revokeToken',
    summary: 'Revoke a secret token (global admin)',
    params: tokenParams,
    responses: { 204: { description: 'Revoked' }, ...tokenErrors(400, 404) },
  }),
  admin({
    method: 'get',
    path: '/api/v1/audit',
    operationId: 'listAudit',
    summary: 'Read the audit log of admin actions, newest first (admin role)',
    query: auditQuery,
    responses: { 200: { description: 'A page of entries', schema: pageOf(AUDIT_ENTRY) }, ...tokenErrors(400, 404) },
  }),
];
