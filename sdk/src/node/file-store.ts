import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
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
 * leaves the previous queue, never half a file.
 */
export function fileStore(path: string): QueueStore {
  const tmp = path + '.' + process.pid + '.tmp';
  return {
    load() {
      // a missing or damaged file is an empty queue
      return readFile(path, 'utf8')
        .then((text) => {
          const events = JSON.parse(text) as unknown;
          return Array.isArray(events) ? (events as FaultlineEvent[]) : [];
        })
        .catch(() => []);
    },
    save(events) {
      if (!events.length) return rm(path, { force: true });
      return writeFile(tmp, JSON.stringify(events)).then(() => rename(tmp, path));
    },
  };
}
