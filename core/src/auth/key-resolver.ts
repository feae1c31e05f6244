import { LRUCache } from 'lru-cache';
import type { PublicKeyRecord, StorageProvider, TokenRecord } from '../providers/storage.js';
import { hashSecret } from './secrets.js';

/** A cached lookup by secret; absent secrets are cached too (as null), so guessing costs no queries. */
function lookupCache<T extends object>(ttlMs: number, load: (hash: string) => Promise<T | null>) {
  // lru-cache's fetch loads a miss once, however many requests ask for it at the same moment.
  return new LRUCache<string, { record: T | null }>({
    max: 10_000,
    ttl: ttlMs,
    fetchMethod: async (secret) => ({ record: await load(hashSecret(secret)) }),
  });
}

/**
 * Looks keys and tokens up by their hash, with a short cache: ingest must not touch the database per
 * request. A revoked key keeps working for at most `ttlMs` on nodes that cached it.
 */
export class KeyResolver {
  private readonly keys: LRUCache<string, { record: PublicKeyRecord | null }>;
  private readonly tokens: LRUCache<string, { record: TokenRecord | null }>;

  constructor(storage: () => StorageProvider, ttlMs = 30_000) {
    this.keys = lookupCache(ttlMs, (hash) => storage().findPublicKey(hash));
    this.tokens = lookupCache(ttlMs, (hash) => storage().findToken(hash));
  }

  async publicKey(key: string): Promise<PublicKeyRecord | null> {
    return (await this.keys.fetch(key))?.record ?? null;
  }

  async token(token: string): Promise<TokenRecord | null> {
    return (await this.tokens.fetch(token))?.record ?? null;
  }

  /** Forget everything, after a key or token is revoked on this node. */
  clear(): void {
    this.keys.clear();
    this.tokens.clear();
  }
}
