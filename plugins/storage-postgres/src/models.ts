import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** Sequelize models for the admin tables. The schema itself comes from migrations, never `sync()`. */
export interface ProjectAttributes {
  id: number;
  slug: string;
  name: string;
  createdAt: Date;
}
export interface PublicKeyAttributes {
  id: number;
  projectId: number;
  keyHash: string;
  prefix: string;
  label: string;
  allowedOrigins: string[];
  rateLimitPerMinute: number | null;
  createdAt: Date;
  revokedAt: Date | null;
}
export interface TokenAttributes {
  id: number;
  tokenHash: string;
  prefix: string;
  label: string;
  role: string;
  projectIds: number[] | null;
  createdAt: Date;
  revokedAt: Date | null;
}

type Creation<T> = Partial<T>;
export type ProjectModel = ModelStatic<Model<ProjectAttributes, Creation<ProjectAttributes>>>;
export type PublicKeyModel = ModelStatic<Model<PublicKeyAttributes, Creation<PublicKeyAttributes>>>;
export type TokenModel = ModelStatic<Model<TokenAttributes, Creation<TokenAttributes>>>;

export interface Models {
  Project: ProjectModel;
  PublicKey: PublicKeyModel;
  Token: TokenModel;
}

export function defineModels(sequelize: Sequelize): Models {
  const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true };
  const createdAt = { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW };
  const Project: ProjectModel = sequelize.define('projects', {
    id,
    slug: { type: DataTypes.TEXT, allowNull: false, unique: true },
    name: { type: DataTypes.TEXT, allowNull: false },
    createdAt,
  });
  const PublicKey: PublicKeyModel = sequelize.define('public_keys', {
    id,
    projectId: { type: DataTypes.INTEGER, allowNull: false },
    keyHash: { type: DataTypes.TEXT, allowNull: false, unique: true },
    prefix: { type: DataTypes.TEXT, allowNull: false },
    label: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    allowedOrigins: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false, defaultValue: [] },
    rateLimitPerMinute: { type: DataTypes.INTEGER, allowNull: true },
    createdAt,
    revokedAt: { type: DataTypes.DATE, allowNull: true },
  });
  const Token: TokenModel = sequelize.define('tokens', {
    id,
    tokenHash: { type: DataTypes.TEXT, allowNull: false, unique: true },
    prefix: { type: DataTypes.TEXT, allowNull: false },
    label: { type: DataTypes.TEXT, allowNull: false, defaultValue: '' },
    role: { type: DataTypes.TEXT, allowNull: false },
    projectIds: { type: DataTypes.ARRAY(DataTypes.INTEGER), allowNull: true },
    createdAt,
    revokedAt: { type: DataTypes.DATE, allowNull: true },
  });
  return { Project, PublicKey, Token };
}
