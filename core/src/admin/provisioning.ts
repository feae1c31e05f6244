import { generatePublicKey, generateSecretToken, hashSecret, secretPrefix } from '../auth/secrets.js';
import type { Project, PublicKeyRecord, Role, StorageProvider, TokenRecord } from '../providers/storage.js';

/** Creating projects, keys and tokens: shared by the admin API and the CLI. Secrets are returned once. */
export async function createProjectWithKey(
  storage: StorageProvider,
  input: { name: string; slug?: string },
): Promise<{ project: Project; publicKey: string; key: PublicKeyRecord }> {
  const project = await storage.createProject({ name: input.name, slug: input.slug ?? slugify(input.name) });
  const { record, publicKey } = await createPublicKey(storage, project.id, { label: 'Default' });
  return { project, publicKey, key: record };
}

export async function createPublicKey(
  storage: StorageProvider,
  projectId: number,
  input: { label?: string; allowedOrigins?: string[]; rateLimitPerMinute?: number | null },
): Promise<{ record: PublicKeyRecord; publicKey: string }> {
  const publicKey = generatePublicKey();
  const record = await storage.createPublicKey({
    projectId,
    keyHash: hashSecret(publicKey),
    prefix: secretPrefix(publicKey),
    label: input.label ?? 'Default',
    allowedOrigins: input.allowedOrigins ?? [],
    rateLimitPerMinute: input.rateLimitPerMinute ?? null,
  });
  return { record, publicKey };
}

export async function createToken(
  storage: StorageProvider,
  input: { role: Role; label?: string; projectIds?: number[] | null },
): Promise<{ record: TokenRecord; token: string }> {
  const token = generateSecretToken();
  const record = await storage.createToken({
    tokenHash: hashSecret(token),
    prefix: secretPrefix(token),
    label: input.label ?? '',
    role: input.role,
    projectIds: input.projectIds ?? null,
  });
  return { record, token };
}

export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return slug || 'project';
}
