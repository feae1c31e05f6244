import type { GroupedEvent } from '../providers/storage.js';

const NONE: readonly string[] = Object.freeze([]);

/**
 * Leaves out of an event's search fields the text and the frames that an earlier event of the same issue
 * (project and fingerprint) carried through this thread within the last minute. Events of an issue nearly
 * always repeat both, an issue is found by any one of its events (and storage leaves out what the issue
 * has itself), and carrying 20 file names and functions from the ingest thread for every event cost more
 * than the rest of its search fields. Tags stay on every event: they are counted.
 *
 * Why a minute, not for good: the event that carried them may not be stored (its request refused after it
 * was prepared, by a full queue say) or may be deleted later by retention; the next event after
 * the minute carries them again. One thread's cache holds up to `max` issues.
 */
export class SearchRepeats {
  /** In the order they were carried: the first is the oldest (a plain Map: an LRU's bookkeeping showed in ingest profiles). */
  private readonly carried = new Map<string, Carried>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(options: { ttlMs?: number; max?: number; now?: () => number } = {}) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.max = options.max ?? 5000;
    this.now = options.now ?? Date.now;
  }

  trim(event: GroupedEvent): void {
    const s = event.search;
    if (s === undefined) return;
    const key = `${event.projectId}\u0000${event.fingerprint}`;
    const now = this.now();
    const first = this.carried.get(key);
    if (first === undefined || now - first.at >= this.ttlMs) {
      this.carried.delete(key);
      this.carried.set(key, { text: s.text, filenames: s.filenames, functions: s.functions, at: now });
      if (this.carried.size > this.max) this.carried.delete(this.carried.keys().next().value as string);
      return;
    }
    if (s.text === first.text) s.text = '';
    if (sameStrings(s.filenames, first.filenames) && sameStrings(s.functions, first.functions)) {
      s.filenames = NONE as string[];
      s.functions = NONE as string[];
    }
  }
}

interface Carried {
  text: string;
  filenames: string[];
  functions: string[];
  at: number;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
