import { Router, type Request } from 'express';
import type { KeyResolver } from '../auth/key-resolver.js';
import { buildDsn } from '../auth/dsn.js';
import { requireGlobalAdmin, requireProject, requireRole } from '../auth/grants.js';
import { createProjectWithKey, createPublicKey, createToken } from '../admin/provisioning.js';
import type { Grant } from '../config.js';
import { FaultlineError } from '../errors.js';
import { ROLES, type Role, type StorageProvider } from '../providers/storage.js';
import type { AuditLog } from '../audit/audit-log.js';
import { parseInput } from './parse-input.js';
import { defaultProjectScrubbing } from '../scrub/scrubbing-rules.js';
import { parseScrubbingRules } from './scrubbing-input.js';

const projectParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } };
const keyParams = {
  type: 'object',
  required: ['id', 'keyId'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 }, keyId: { type: 'integer', minimum: 1, maximum: 2147483647 } },
};
const tokenParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } } };
const newProject = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    slug: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,49}$' },
  },
};
const newKey = {
  type: 'object',
  additionalProperties: false,
  properties: {
    label: { type: 'string', maxLength: 200 },
    allowedOrigins: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 500 } },
    rateLimitPerMinute: { type: ['integer', 'null'], minimum: 0 },
  },
};
const newToken = {
  type: 'object',
  required: ['role'],
  additionalProperties: false,
  properties: {
    role: { type: 'string', enum: [...ROLES] },
    label: { type: 'string', maxLength: 200 },
    projectIds: { type: ['array', 'null'], maxItems: 1000, items: { type: 'integer', minimum: 1 } },
  },
};

const auditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    project: { type: 'integer', minimum: 1, maximum: 2147483647 },
    cursor: { type: 'string', maxLength: 1000 },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  },
};

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
