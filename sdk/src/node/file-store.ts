import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FaultlineEvent } from '../shared/types.js';
import type { QueueStore } from '../transports/types.js';

/** The default queue file: one per endpoint and key, in the OS temp directory. */
export function defaultQueuePath(url: string, key: string): string {
  const id = createHash('sha256').update(url + ' ' + key).digest('hex').slice(0, 16);
  return join(tmpdir(), 'faultline-queue-' + id + '.json');
}

/**
 * The unsent queue as one JSON file, so events survive a crash or an outage and go out on the next start.
 * Bounded by the transport's maxQueue; written to a temporary file and renamed, so a crash mid-write
 * leaves the previous queue, never half a file. Synchronous on purpose: the file is small, and a process
 * told to stop (SIGTERM) must have it written before it goes, with no write left half done in a thread.
 */
export function fileStore(path: string): QueueStore {
  const tmp = path + '.' + process.pid + '.tmp';
  return {
    load() {
      // a missing or damaged file is an empty queue
      try {
        const events = JSON.parse(readFileSync(path, 'utf8')) as unknown;
        return Array.isArray(events) ? (events as FaultlineEvent[]) : [];
      } catch {
        return [];
      }
    },
    save(events) {
      if (!events.length) return rmSync(path, { force: true });
      try {
        writeFileSync(tmp, JSON.stringify(events));
        renameSync(tmp, path);
      } finally {
        rmSync(tmp, { force: true });
      }
    },
  };
}
