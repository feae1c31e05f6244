import { LRUCache } from 'lru-cache';
import { FaultlineError } from '../errors.js';
import type { StorageProvider } from '../providers/storage.js';
import { defaultProjectScrubbing, type ProjectScrubbing } from './scrubbing-rules.js';

/** How long a node uses a project's rules before reading them again; a change made on another node takes effect within it. */
export const SCRUBBING_RULES_TTL_MS = 30_000;

export interface ScrubbingSource {
  /** The project's rules: from memory, read from storage at most once per TTL (stale ones serve while they are read again). */
  of(projectId: number): Promise<ProjectScrubbing>;
  /** Forgets a project's rules, so this node's next event reads the new ones (the admin route calls it). */
  forget(projectId: number): void;
}

/**
 * The main thread's copy of each project's scrubbing rules, which ingest hands to the threads with each
 * job. Fails closed: when storage cannot be read and this node never had the project's rules, ingest
 * answers 503 rather than store an event that the project's own rules may have had to filter; rules
 * read once are kept through a storage outage.
 */
export function createScrubbingSource(storage: () => StorageProvider, ttlMs = SCRUBBING_RULES_TTL_MS): ScrubbingSource {
  const cache = new LRUCache<number, ProjectScrubbing>({
    max: 10_000,
    ttl: ttlMs,
    allowStale: true,
    allowStaleOnFetchRejection: true,
    noDeleteOnFetchRejection: true,
    fetchMethod: async (projectId) => (await storage().getScrubbing(projectId)) ?? defaultProjectScrubbing(),
  });
  return {
    async of(projectId) {
      try {
        const rules = await cache.fetch(projectId);
        if (rules) return rules;
      } catch (err) {
        throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', "The project's scrubbing rules could not be read; retry later", { retryAfter: 5, cause: err });
      }
      throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', "The project's scrubbing rules could not be read; retry later", { retryAfter: 5 });
    },
    forget(projectId) {
      cache.delete(projectId);
    },
  };
}
