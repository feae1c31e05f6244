import { LRUCache } from 'lru-cache';
import type { PublicKeyRecord, StorageProvider, TokenRecord } from '../providers/storage.js';
import { hashSecret } from './secrets.js';

/**
 * Looks keys and tokens up by their hash, with a short cache: ingest must not touch the database per
 * request. A revoked key keeps working for at most `ttlMs` on nodes that cached it.
 */
export class KeyResolver {
  private readonly keys: LRUCache<string, { record: PublicKeyRecord | null }>;
  private readonly tokens: LRUCache<string, { record: TokenRecord | null }>;

  constructor(
    private readonly storage: () => StorageProvider,
    ttlMs = 30_000,
  ) {
    this.keys = new LRUCache({ max: 10_000, ttl: ttlMs });
    this.tokens = new LRUCache({ max: 10_000, ttl: ttlMs });
  }

  async publicKey(key: string): Promise<PublicKeyRecord | null> {
    const cached = this.keys.get(key);
    if (cached) return cached.record;
    const record = await this.storage().findPublicKey(hashSecret(key));
    this.keys.set(key, { record });
    return record;
  }

  async token(token: string): Promise<TokenRecord | null> {
    const cached = this.tokens.get(token);
    if (cached) return cached.record;
    const record = await this.storage().findToken(hashSecret(token));
    this.tokens.set(token, { record });
    return record;
  }

  /** Forget everything, after a key or token is revoked on this node. */
  clear(): void {
    this.keys.clear();
    this.tokens.clear();
  }
}
