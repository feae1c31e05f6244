import { FaultlineError } from '../../errors.js';
import { ROLES, type NewPublicKey, type NewToken, type Project, type PublicKeyRecord, type TokenRecord } from '../../providers/storage.js';
import { isSerial } from './memory-ids.js';
import type { MemoryState } from './memory-state.js';

/** Projects, public keys and secret tokens in memory; keys and tokens are found by hash only. */
export class MemoryAdmin {
  constructor(private readonly state: MemoryState) {}

  createProject(input: { name: string; slug: string }): Project {
    if ([...this.state.projects.values()].some((p) => p.slug === input.slug)) {
      throw new FaultlineError('FAULTLINE_ERR_CONFLICT', `A project with slug "${input.slug}" already exists`);
    }
    const project: Project = { id: this.state.nextId('project'), slug: input.slug, name: input.name, createdAt: now() };
    this.state.projects.set(project.id, project);
    return { ...project };
  }

  listProjects(filter: { ids?: number[] } = {}): Project[] {
    const ids = filter.ids ? new Set(filter.ids) : null;
    return sortById([...this.state.projects.values()].filter((p) => !ids || ids.has(p.id))).map((p) => ({ ...p }));
  }

  getProject(id: number): Project | null {
    const project = isSerial(id) ? this.state.projects.get(id) : undefined;
    return project ? { ...project } : null;
  }

  createPublicKey(input: NewPublicKey): PublicKeyRecord {
    if ([...this.state.publicKeys.values()].some((k) => k.keyHash === input.keyHash)) {
      throw new FaultlineError('FAULTLINE_ERR_CONFLICT', 'That key already exists');
    }
    const id = this.state.nextId('key');
    this.state.publicKeys.set(id, { ...input, allowedOrigins: [...input.allowedOrigins], id, createdAt: now(), revoked: false });
    return toPublicKey(this.state.publicKeys.get(id)!);
  }

  listPublicKeys(projectId: number): PublicKeyRecord[] {
    return sortById([...this.state.publicKeys.values()].filter((k) => k.projectId === projectId && !k.revoked)).map(toPublicKey);
  }

  /** True when the key exists in that project, revoked now or before. */
  revokePublicKey(projectId: number, keyId: number): boolean {
    const key = this.state.publicKeys.get(keyId);
    if (!key || key.projectId !== projectId) return false;
    key.revoked = true;
    return true;
  }

  findPublicKey(keyHash: string): PublicKeyRecord | null {
    const key = [...this.state.publicKeys.values()].find((k) => k.keyHash === keyHash && !k.revoked);
    return key ? toPublicKey(key) : null;
  }

  createToken(input: NewToken): TokenRecord {
    if (!ROLES.includes(input.role)) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Unknown role "${String(input.role)}"`, { path: 'role' });
    }
    if ([...this.state.tokens.values()].some((t) => t.tokenHash === input.tokenHash)) {
      throw new FaultlineError('FAULTLINE_ERR_CONFLICT', 'That token already exists');
    }
    const id = this.state.nextId('token');
    const projectIds = input.projectIds ? [...input.projectIds] : null;
    this.state.tokens.set(id, { ...input, projectIds, id, createdAt: now(), revoked: false });
    return toToken(this.state.tokens.get(id)!);
  }

  findToken(tokenHash: string): TokenRecord | null {
    const token = [...this.state.tokens.values()].find((t) => t.tokenHash === tokenHash && !t.revoked);
    return token ? toToken(token) : null;
  }

  listTokens(): TokenRecord[] {
    return sortById([...this.state.tokens.values()].filter((t) => !t.revoked)).map(toToken);
  }

  revokeToken(tokenId: number): boolean {
    const token = this.state.tokens.get(tokenId);
    if (!token) return false;
    token.revoked = true;
    return true;
  }
}

const now = () => new Date().toISOString();
const sortById = <T extends { id: number }>(rows: T[]) => rows.sort((a, b) => a.id - b.id);

function toPublicKey(k: PublicKeyRecord): PublicKeyRecord {
  return {
    id: k.id,
    projectId: k.projectId,
    prefix: k.prefix,
    label: k.label,
    allowedOrigins: [...k.allowedOrigins],
    rateLimitPerMinute: k.rateLimitPerMinute,
    createdAt: k.createdAt,
  };
}

function toToken(t: TokenRecord): TokenRecord {
  return {
    id: t.id,
    prefix: t.prefix,
    label: t.label,
    role: t.role,
    projectIds: t.projectIds ? [...t.projectIds] : null,
    createdAt: t.createdAt,
  };
}
