import { DEFAULT_BATCH, DEFAULT_LIMITS } from '../config.js';
import { resolveConfig } from '../resolve-config.js';
import type { FileConfig } from './load-config.js';
import { DEFAULT_STORAGE_PLUGIN } from './load-config.js';

export type SettingSource = 'file' | 'env' | 'default';

export interface EffectiveSetting {
  name: string;
  value: unknown;
  source: SettingSource;
  /** The environment variable that sets it, where one does. */
  env?: string;
  secret?: boolean;
}

/** A setting read from the file, from one environment variable, or a default; which one wins is core's rule. */
interface SettingSpec {
  name: string;
  env?: string;
  secret?: boolean;
  /** The file's value, if it sets this. */
  fromFile(file: FileConfig): unknown;
  /** Which source core's resolution lets win when both the file and the environment set it. */
  fileWins: boolean;
}

const fileKey = (key: keyof FileConfig) => (file: FileConfig) => file[key];

const SETTINGS: SettingSpec[] = [
  { name: 'adminToken', env: 'FAULTLINE_ADMIN_TOKEN', secret: true, fromFile: fileKey('adminToken'), fileWins: true },
  { name: 'rateLimitPerMinute', env: 'FAULTLINE_RATE_LIMIT_PER_MINUTE', fromFile: fileKey('rateLimitPerMinute'), fileWins: true },
  { name: 'ingestThreads', env: 'FAULTLINE_INGEST_THREADS', fromFile: fileKey('ingestThreads'), fileWins: true },
  { name: 'trustProxy', fromFile: fileKey('trustProxy'), fileWins: true },
  { name: 'trustedOrigins', fromFile: fileKey('trustedOrigins'), fileWins: true },
  { name: 'migrate', fromFile: fileKey('migrate'), fileWins: true },
  { name: 'processEvents', fromFile: fileKey('processEvents'), fileWins: true },
  { name: 'scrubbing', fromFile: fileKey('scrubbing'), fileWins: true },
  ...Object.keys(DEFAULT_LIMITS).map((k) => ({
    name: `limits.${k}`,
    fromFile: (f: FileConfig) => (f.limits as Record<string, unknown> | undefined)?.[k],
    fileWins: true,
  })),
  ...Object.keys(DEFAULT_BATCH).map((k) => ({
    name: `batch.${k}`,
    fromFile: (f: FileConfig) => (f.batch as Record<string, unknown> | undefined)?.[k],
    fileWins: true,
  })),
  { name: 'port', env: 'PORT', fromFile: fileKey('port'), fileWins: false },
  { name: 'publicUrl', env: 'FAULTLINE_PUBLIC_URL', fromFile: fileKey('publicUrl'), fileWins: false },
];

/** Settings only plugins and the process read, from the environment. */
const ENV_ONLY: Array<{ name: string; env: string; secret?: boolean }> = [
  { name: 'databaseUrl', env: 'FAULTLINE_DATABASE_URL', secret: true },
  { name: 'redisUrl', env: 'FAULTLINE_REDIS_URL', secret: true },
  { name: 'smtpUrl', env: 'FAULTLINE_SMTP_URL', secret: true },
  { name: 'opensearchUrl', env: 'FAULTLINE_OPENSEARCH_URL', secret: true },
  { name: 'logLevel', env: 'FAULTLINE_LOG_LEVEL' },
];

/**
 * Every setting's effective value and where it came from. Values are core's own resolution (the same
 * function `createFaultline` runs), so this cannot disagree with what a server would use.
 */
export function effectiveConfig(file: FileConfig, env: NodeJS.ProcessEnv = process.env): EffectiveSetting[] {
  const { plugins, port, publicUrl, ...options } = file;
  const resolved = resolveConfig(options, env) as unknown as Record<string, unknown>;
  const cli: Record<string, unknown> = {
    port: Number(env.PORT || port || 3000),
    publicUrl: env.FAULTLINE_PUBLIC_URL ?? publicUrl ?? `http://localhost:${env.PORT || port || 3000}`,
  };
  const out: EffectiveSetting[] = [];
  for (const spec of SETTINGS) {
    const inFile = spec.fromFile(file) !== undefined;
    const inEnv = spec.env !== undefined && env[spec.env] !== undefined && env[spec.env] !== '';
    const source: SettingSource = inFile && (spec.fileWins || !inEnv) ? 'file' : inEnv ? 'env' : 'default';
    const value = spec.name in cli ? cli[spec.name] : valueAt(resolved, spec.name);
    out.push({ name: spec.name, value, source, ...(spec.env ? { env: spec.env } : {}), ...(spec.secret ? { secret: true } : {}) });
  }
  for (const spec of ENV_ONLY) {
    const raw = env[spec.env];
    const set = raw !== undefined && raw !== '';
    out.push({ name: spec.name, value: set ? raw : null, source: set ? 'env' : 'default', env: spec.env, ...(spec.secret ? { secret: true } : {}) });
  }
  const pluginNames = (plugins ?? []).map((p) => (typeof p === 'string' ? p : p[0]));
  const storageListed = pluginNames.includes(DEFAULT_STORAGE_PLUGIN);
  out.push({ name: 'plugins', value: storageListed ? pluginNames : [DEFAULT_STORAGE_PLUGIN, ...pluginNames], source: plugins ? 'file' : 'default' });
  return out;
}

function valueAt(obj: Record<string, unknown>, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], obj);
}

/** A secret as people may see it: URLs keep all but their password, tokens their first four characters. */
export function maskSecret(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.host) {
      if (url.password) url.password = '****';
      return url.toString();
    }
    if (url.password) {
      url.password = '****';
      return url.toString();
    }
  } catch {
    // not a URL: a token
  }
  return value.length <= 8 ? '****' : `${value.slice(0, 4)}****`;
}
