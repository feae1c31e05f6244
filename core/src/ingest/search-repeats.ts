import type { GroupedEvent } from '../providers/storage.js';

const NONE: readonly string[] = Object.freeze([]);

/**
 * Leaves out of an event's search fields the text and the frames that an earlier event of the same
 * request and issue (project and fingerprint) carries too: such events nearly always repeat both, storage
 * indexes an issue's text and frames once per batch anyway (a request's events reach storage in one
 * batch), and carrying 20 file names and functions per event from the ingest thread cost more than
 * the rest of the search fields. Tags stay on every event: they are counted.
 */
export class SearchRepeats {
  private readonly first = new Map<string, NonNullable<GroupedEvent['search']>>();

  trim(event: GroupedEvent): void {
    const s = event.search;
    if (s === undefined) return;
    const key = `${event.projectId}\u0000${event.fingerprint}`;
    const first = this.first.get(key);
    if (first === undefined) {
      this.first.set(key, s);
      return;
    }
    if (s.text === first.text) s.text = '';
    if (sameStrings(s.filenames, first.filenames) && sameStrings(s.functions, first.functions)) {
      s.filenames = NONE as string[];
      s.functions = NONE as string[];
    }
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
