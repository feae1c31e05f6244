import { FaultlineError } from '@faultline/core';

export interface ArchiveS3Options {
  /** Bucket (or FAULTLINE_S3_BUCKET). Required. */
  bucket?: string;
  /** Key prefix for everything this archive writes (or FAULTLINE_S3_PREFIX). Default 'faultline/'. */
  prefix?: string;
  /** Region (or FAULTLINE_S3_REGION, AWS_REGION). Default 'us-east-1'; R2 wants 'auto'. */
  region?: string;
  /** Endpoint of an S3-compatible store (MinIO, R2, Ceph...) (or FAULTLINE_S3_ENDPOINT). Unset: AWS. */
  endpoint?: string;
  /** Bucket in the path instead of the host name; most self-hosted stores need it (or FAULTLINE_S3_FORCE_PATH_STYLE=1). */
  forcePathStyle?: boolean;
  /** Static credentials (or FAULTLINE_S3_ACCESS_KEY_ID and FAULTLINE_S3_SECRET_ACCESS_KEY); unset: the AWS SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Multipart part size in bytes (S3's minimum is 5 MiB). */
  partSize?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
  /** Events per storage call on restore. */
  restoreBatchSize?: number;
  /** One S3 request's timeout, and the SDK's attempts per request (its own retry with backoff). */
  requestTimeoutMs?: number;
  maxAttempts?: number;
}

export const defaultOptions = {
  prefix: 'faultline/',
  region: 'us-east-1',
  forcePathStyle: false,
  partSize: 8 * 1024 * 1024,
  queueSize: 4,
  restoreBatchSize: 1000,
  requestTimeoutMs: 60_000,
  maxAttempts: 4,
} as const;

export type ResolvedOptions = Required<Omit<ArchiveS3Options, 'endpoint' | 'credentials'>> & Pick<ArchiveS3Options, 'endpoint' | 'credentials'>;

/** Options over environment over defaults; a bad one fails at start-up naming the setting. */
export function resolveOptions(options: ArchiveS3Options, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const bucket = options.bucket ?? env.FAULTLINE_S3_BUCKET;
  if (!bucket) throw invalid('bucket (FAULTLINE_S3_BUCKET) is required');
  const accessKeyId = env.FAULTLINE_S3_ACCESS_KEY_ID;
  const secretAccessKey = env.FAULTLINE_S3_SECRET_ACCESS_KEY;
  const credentials = options.credentials ?? (accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined);
  const resolved: ResolvedOptions = {
    ...defaultOptions,
    ...stripUndefined(options),
    bucket,
    prefix: options.prefix ?? env.FAULTLINE_S3_PREFIX ?? defaultOptions.prefix,
    region: options.region ?? env.FAULTLINE_S3_REGION ?? env.AWS_REGION ?? defaultOptions.region,
    endpoint: options.endpoint ?? env.FAULTLINE_S3_ENDPOINT,
    forcePathStyle: options.forcePathStyle ?? (env.FAULTLINE_S3_FORCE_PATH_STYLE ? /^(1|true|yes)$/i.test(env.FAULTLINE_S3_FORCE_PATH_STYLE) : defaultOptions.forcePathStyle),
    credentials,
  };
  if (resolved.endpoint !== undefined && !/^https?:\/\//.test(resolved.endpoint)) throw invalid('endpoint (FAULTLINE_S3_ENDPOINT) must be an http(s) URL');
  if (resolved.prefix !== '' && !resolved.prefix.endsWith('/')) resolved.prefix += '/';
  if (!Number.isInteger(resolved.partSize) || resolved.partSize < 5 * 1024 * 1024) throw invalid('partSize must be at least 5 MiB');
  for (const name of ['queueSize', 'restoreBatchSize', 'requestTimeoutMs', 'maxAttempts'] as const) {
    if (!Number.isInteger(resolved[name]) || resolved[name] < 1) throw invalid(`${name} must be a positive integer`);
  }
  return resolved;
}

function invalid(message: string): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `@faultline/plugin-archive-s3: ${message}`);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
