import type { IssueText } from './search-columns.js';

/**
 * The text and frames of recently stored issues, by (project, fingerprint), so that a batch does not read
 * them again for every issue it touches (each batch's claim returned them: title, value and up to 20 file names
 * and functions per issue, output by PostgreSQL and parsed here anew each time). An issue's text and frames never change
 * once it is created and an id is never reused, so an entry is right for as long as its id is the one the
 * claim finds: a deleted and recreated issue has a new id, and its text is read again.
 */
export class IssueTextCache {
  /** In the order they were read: past `max`, the first goes (cheaper than an LRU, and the hot issues are soon back). */
  private readonly issues = new Map<string, { id: string; text: IssueText }>();

  constructor(private readonly max = 5000) {}

  /** The texts held for some issues, by id, taken now so that an eviction during the batch cannot lose one. */
  known(groupKeys: Iterable<string>): Map<string, IssueText> {
    const known = new Map<string, IssueText>();
    for (const key of groupKeys) {
      const entry = this.issues.get(key);
      if (entry !== undefined) known.set(entry.id, entry.text);
    }
    return known;
  }

  set(groupKey: string, id: string, text: IssueText): void {
    this.issues.delete(groupKey);
    this.issues.set(groupKey, { id, text });
    if (this.issues.size > this.max) this.issues.delete(this.issues.keys().next().value as string);
  }
}
