import {
  FaultlineError,
  ROLES,
  type NewPublicKey,
  type NewToken,
  type Project,
  type PublicKeyRecord,
  type Role,
  type StorageProvider,
  type TokenRecord,
} from '@faultline/core';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Models, ProjectAttributes, PublicKeyAttributes, TokenAttributes } from './models.js';

/** Projects, public keys and secret tokens. Keys and tokens are stored and looked up by hash only. */
export class AdminQueries
  implements
    Pick<
      StorageProvider,
      | 'createProject' | 'listProjects' | 'getProject'
      | 'createPublicKey' | 'listPublicKeys' | 'revokePublicKey' | 'findPublicKey'
      | 'createToken' | 'findToken' | 'listTokens' | 'revokeToken'
    >
{
  constructor(private readonly models: Models) {}

  async createProject(input: { name: string; slug: string }): Promise<Project> {
    const row = await uniquely(`A project with slug "${input.slug}" already exists`, () =>
      this.models.Project.create({ name: input.name, slug: input.slug }),
    );
    return toProject(row.get({ plain: true }));
  }

  async listProjects(filter: { ids?: number[] } = {}): Promise<Project[]> {
    const where = filter.ids ? { id: { [Op.in]: filter.ids } } : {};
    const rows = await this.models.Project.findAll({ where, order: [['id', 'ASC']], raw: true });
    return (rows as unknown as ProjectAttributes[]).map(toProject);
  }

  async getProject(id: number): Promise<Project | null> {
    if (!isSerial(id)) return null;
    const row = await this.models.Project.findByPk(id, { raw: true });
    return row ? toProject(row as unknown as ProjectAttributes) : null;
  }

  async createPublicKey(input: NewPublicKey): Promise<PublicKeyRecord> {
    const row = await uniquely('That key already exists', () => this.models.PublicKey.create({ ...input }));
    return toPublicKey(row.get({ plain: true }));
  }

  async listPublicKeys(projectId: number): Promise<PublicKeyRecord[]> {
    if (!isSerial(projectId)) return [];
    const rows = await this.models.PublicKey.findAll({
      where: { projectId, revokedAt: null },
      order: [['id', 'ASC']],
      raw: true,
    });
    return (rows as unknown as PublicKeyAttributes[]).map(toPublicKey);
  }

  async revokePublicKey(projectId: number, keyId: number): Promise<boolean> {
    if (!isSerial(projectId) || !isSerial(keyId)) return false;
    const [count] = await this.models.PublicKey.update(
      { revokedAt: new Date() },
      { where: { id: keyId, projectId, revokedAt: null } },
    );
    if (count > 0) return true;
    return (await this.models.PublicKey.count({ where: { id: keyId, projectId } })) > 0;
  }

  async findPublicKey(keyHash: string): Promise<PublicKeyRecord | null> {
    const row = await this.models.PublicKey.findOne({ where: { keyHash, revokedAt: null }, raw: true });
    return row ? toPublicKey(row as unknown as PublicKeyAttributes) : null;
  }

  async createToken(input: NewToken): Promise<TokenRecord> {
    if (!ROLES.includes(input.role)) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `Unknown role "${String(input.role)}"`, { path: 'role' });
    }
    const row = await uniquely('That token already exists', () => this.models.Token.create({ ...input }));
    return toToken(row.get({ plain: true }));
  }

  async findToken(tokenHash: string): Promise<TokenRecord | null> {
    const row = await this.models.Token.findOne({ where: { tokenHash, revokedAt: null }, raw: true });
    return row ? toToken(row as unknown as TokenAttributes) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const rows = await this.models.Token.findAll({ where: { revokedAt: null }, order: [['id', 'ASC']], raw: true });
    return (rows as unknown as TokenAttributes[]).map(toToken);
  }

  async revokeToken(tokenId: number): Promise<boolean> {
    if (!isSerial(tokenId)) return false;
    const [count] = await this.models.Token.update({ revokedAt: new Date() }, { where: { id: tokenId, revokedAt: null } });
    if (count > 0) return true;
    return (await this.models.Token.count({ where: { id: tokenId } })) > 0;
  }
}

/** Turns a unique violation into FAULTLINE_ERR_CONFLICT. */
async function uniquely<T>(message: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    if (err instanceof UniqueConstraintError) throw new FaultlineError('FAULTLINE_ERR_CONFLICT', message, { cause: err });
    throw err;
  }
}

const isSerial = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;
const iso = (d: Date | string) => new Date(d).toISOString();

function toProject(row: ProjectAttributes): Project {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: iso(row.createdAt) };
}

function toPublicKey(row: PublicKeyAttributes): PublicKeyRecord {
  return {
    id: row.id,
    projectId: row.projectId,
    prefix: row.prefix,
    label: row.label,
    allowedOrigins: row.allowedOrigins ?? [],
    rateLimitPerMinute: row.rateLimitPerMinute,
    createdAt: iso(row.createdAt),
  };
}

function toToken(row: TokenAttributes): TokenRecord {
  return {
    id: row.id,
    prefix: row.prefix,
    label: row.label,
    role: row.role as Role,
    projectIds: row.projectIds,
    createdAt: iso(row.createdAt),
  };
}
