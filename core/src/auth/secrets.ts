import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A public (ingest) key: 32 lowercase hex characters, so it fits in a Sentry DSN. */
export function generatePublicKey(): string {
  return randomBytes(16).toString('hex');
}

/** A secret API token; the `flt_` prefix makes a leaked token easy to find in scanners and logs. */
export function generateSecretToken(): string {
  return `flt_${randomBytes(24).toString('base64url').replace(/[-_]/g, '0')}`;
}

/** Keys and tokens are stored and looked up by this hash only. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** What is shown of a key or token after creation. */
export function secretPrefix(secret: string): string {
  return secret.slice(0, secret.startsWith('flt_') ? 8 : 6);
}

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed first, so the
 * comparison takes the same time whatever their lengths and wherever they first differ.
 */
export function secretsEqual(presented: string, expected: string): boolean {
  return timingSafeEqual(createHash('sha256').update(presented).digest(), createHash('sha256').update(expected).digest());
}
