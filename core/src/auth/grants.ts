import type { Request } from 'express';
import type { Grant } from '../config.js';
import type { FaultlineOptions } from '../faultline-options.js';
import { FaultlineError } from '../errors.js';
import type { Role } from '../providers/storage.js';
import type { KeyResolver } from './key-resolver.js';
import { secretsEqual } from './secrets.js';

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2 };

/**
 * Who is calling the query and admin API: the host app's `authorize(req)` first, then a secret token
 * (`Authorization: Bearer flt_...`), then the bootstrap admin token.
 */
export function createGrantResolver(deps: {
  keys: KeyResolver;
  authorize?: FaultlineOptions['authorize'];
  adminToken: string | null;
}) {
  return async function resolveGrant(req: Request): Promise<Grant> {
    if (deps.authorize) {
      const grant = await deps.authorize(req);
      if (grant) return { ...grant, actor: grant.actor ?? 'host-session' };
    }
    const header = req.get('authorization');
    if (!header) throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A secret token is required (Authorization: Bearer <token>)');
    const match = /^Bearer\s+(\S{1,256})$/i.exec(header);
    if (!match) throw new FaultlineError('FAULTLINE_ERR_AUTH_INVALID');
    const token = match[1];
    if (deps.adminToken && secretsEqual(token, deps.adminToken)) return { role: 'admin', projectIds: null, actor: 'admin-token' };
    const record = await deps.keys.token(token);
    if (!record) throw new FaultlineError('FAULTLINE_ERR_AUTH_INVALID');
    return { role: record.role, projectIds: record.projectIds, actor: `token:${record.prefix}` };
  };
}

export function requireRole(grant: Grant, role: Role): void {
  if (RANK[grant.role] < RANK[role]) throw new FaultlineError('FAULTLINE_ERR_AUTH_FORBIDDEN', `This needs the ${role} role`);
}

/** One project's data is invisible to a grant for other projects: 404, never 403, so ids don't leak. */
export function requireProject(grant: Grant, projectId: number): void {
  if (grant.projectIds !== null && !grant.projectIds.includes(projectId)) {
    throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', 'Project not found');
  }
}

/** Creating projects and tokens needs an admin for every project. */
export function requireGlobalAdmin(grant: Grant): void {
  requireRole(grant, 'admin');
  if (grant.projectIds !== null) throw new FaultlineError('FAULTLINE_ERR_AUTH_FORBIDDEN', 'This needs an admin token for all projects');
}
