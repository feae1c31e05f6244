import { compareBigint, compareText } from './batch-groups.js';

/** One row of `issue_tags` (migration 0009): how many of the batch's events of an issue had a tag. */
export interface IssueTagRow {
  projectId: number;
  issueId: string;
  key: string;
  value: string;
  count: number;
  /** Epoch milliseconds: comparing numbers is what counting does most. */
  firstSeen: number;
  lastSeen: number;
}

/**
 * Counts per (issue, key, value), added up as they come: batches' tags waiting to be written
 * (issue-tag-writer.ts), or one batch's when it writes its own. Nested by issue, key and value, since
 * sorting a few of each at a time is cheap and sorting all rows is not.
 */
export class TagCounts {
  private readonly issues = new Map<string, Map<string, Map<string, IssueTagRow>>>();
  private count = 0;

  /** How many (issue, key, value) rows are held. */
  get size(): number {
    return this.count;
  }

  add(projectId: number, issueId: string, key: string, value: string, n: number, firstSeen: number, lastSeen: number): void {
    let issue = this.issues.get(issueId);
    if (issue === undefined) this.issues.set(issueId, (issue = new Map()));
    let values = issue.get(key);
    if (values === undefined) issue.set(key, (values = new Map()));
    const row = values.get(value);
    if (row === undefined) {
      values.set(value, { projectId, issueId, key, value, count: n, firstSeen, lastSeen });
      this.count++;
      return;
    }
    row.count += n;
    if (firstSeen < row.firstSeen) row.firstSeen = firstSeen;
    if (lastSeen > row.lastSeen) row.lastSeen = lastSeen;
  }

  merge(rows: Iterable<IssueTagRow>): void {
    for (const r of rows) this.add(r.projectId, r.issueId, r.key, r.value, r.count, r.firstSeen, r.lastSeen);
  }

  /**
   * The rows in (issue, key, value) order, the order every writer upserts (and so locks) them in. Issue
   * ids are unique across projects, so the project needs no place in the order.
   */
  rows(): IssueTagRow[] {
    const rows: IssueTagRow[] = [];
    for (const issueId of [...this.issues.keys()].sort(compareBigint)) {
      const issue = this.issues.get(issueId)!;
      for (const key of [...issue.keys()].sort(compareText)) {
        const values = issue.get(key)!;
        for (const value of [...values.keys()].sort(compareText)) rows.push(values.get(value)!);
      }
    }
    return rows;
  }

  /** The rows in order, leaving none held. */
  take(): IssueTagRow[] {
    const rows = this.rows();
    this.issues.clear();
    this.count = 0;
    return rows;
  }
}

/**
 * A batch's tags as seen, one entry per (event, key), in parallel arrays: counted into TagCounts once the
 * batch has committed (by the tag writer, into what it holds), so a batch builds no counts of its own.
 */
export class TagObservations {
  private readonly projectIds: number[] = [];
  private readonly issueIds: string[] = [];
  private readonly keys: string[] = [];
  private readonly values: string[] = [];
  private readonly times: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  add(projectId: number, issueId: string, key: string, value: string, at: number): void {
    this.projectIds.push(projectId);
    this.issueIds.push(issueId);
    this.keys.push(key);
    this.values.push(value);
    this.times.push(at);
  }

  countInto(counts: TagCounts): TagCounts {
    for (let i = 0; i < this.keys.length; i++) {
      counts.add(this.projectIds[i], this.issueIds[i], this.keys[i], this.values[i], 1, this.times[i], this.times[i]);
    }
    return counts;
  }
}
