import type { GroupedEvent, Issue, StoreBatchResult } from '@faultline/core';
import type { PgClient } from './connection.js';
import { fingerprints, groupByIssue, groupKey, uniqueEvents, type Claimed, type IssueGroup } from './batch-groups.js';
import { claimAndFindIssues, findIssueIds, insertMissingIssues, updateIssuesAndCommit } from './batch-statements.js';
import { insertEvents } from './event-writer.js';
import { BatchSearchColumns } from './search-columns.js';
import type { IssueTextCache } from './issue-text-cache.js';
import { TagCounts, type TagObservations } from './tag-counts.js';
import { lostPreparedStatements, preparedStatementsWorked } from './prepared-statements.js';
import { SqlLiterals } from './sql-literal.js';

/**
 * One batch, one transaction, four round trips when its issues exist (the caller only holds the
 * connection and rolls back on error; BEGIN and COMMIT ride with the first and last statements):
 *  1. BEGIN; claim event ids in `event_ids` (only new events go on) and read the ids of the batch's
 *     existing issues with a plain SELECT: ids never change, so nothing is locked yet;
 *  2. only for fingerprints without an issue: insert them with the batch's counts (ON CONFLICT DO
 *     NOTHING; a concurrent creator wins, and its issue is then read and updated like any other);
 *  3. COPY the events;
 *  4. upsert the issue tags counted from the events COPYed (search-columns.ts); claim (issue, user)
 *     pairs with their search fields and counts, lock the existing issues in id order and update them (reading the status before the
 *     update: that is how a regression is known exactly), upsert the hourly rollups; COMMIT.
 * Rows other batches also write (issue tags, issues, rollups, user pairs) are locked last and briefly, so
 * concurrent batches overlap their COPYs instead of queueing behind each other's issue locks. Every
 * statement visits rows in key order and every batch takes locks in the same order (event ids, new
 * issues, issue tags, user pairs, issues, issue rollup, project rollup), so overlapping batches wait, never deadlock.
 * Statements 1 and 4 are prepared once per connection (prepared-statements.ts); a session that lost them
 * has its batch rolled back and run again; one that keeps losing them (a pooler in transaction mode)
 * sends them inline.
 */
export async function storeBatch(client: PgClient, events: GroupedEvent[], options: StoreBatchOptions = {}): Promise<StoreBatchResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await storeBatchOnce(client, events, options);
      preparedStatementsWorked(client);
      return result;
    } catch (err) {
      if (attempt === 3 || !lostPreparedStatements(client, err)) throw err;
      await client.query('ROLLBACK'); // the batch runs again, prepared anew or, the second time, inline
    }
  }
}

export interface StoreBatchOptions {
  /** False: no search columns and no issue tags (to measure what they cost: bench:ingest --no-search-index). */
  searchIndex?: boolean;
  /** Takes the batch's issue tag counts once it has committed, to write them later; without it they are upserted in the batch's transaction. */
  tagWriter?: { add(tags: TagObservations): void };
  /** The text and frames of issues earlier batches read, kept across batches (none: read every time). */
  issueTexts?: IssueTextCache;
}

async function storeBatchOnce(client: PgClient, events: GroupedEvent[], options: StoreBatchOptions): Promise<StoreBatchResult> {
  const sql = new SqlLiterals(client);
  const unique = uniqueEvents(events);
  const claiming = claimAndFindIssues(client, sql, unique, fingerprints(unique), options.issueTexts);
  claiming.catch(() => undefined); // awaited below; this only keeps a failure during the next line handled
  const { fresh, issueIds, issueTexts } = await claiming;
  const duplicates = events.length - fresh.length;
  if (fresh.length === 0) {
    await client.query('COMMIT');
    return { stored: [], duplicates, created: [], regressed: [] };
  }

  const groups = groupByIssue(fresh);
  for (const g of groups) g.issueId = issueIds.get(groupKey(g.projectId, g.fingerprint)) ?? '';
  if (options.searchIndex !== false) issueFrames(fresh, groups);
  const created = await createIssues(client, groups.filter((g) => g.issueId === ''));
  const issueOf = (e: Claimed) => groups[e.group].issueId;

  // Only the fresh events: a retried one that the claim dropped adds nothing to the issue's tag counts.
  const columns = new BatchSearchColumns(options.searchIndex);
  for (const [issueId, text] of issueTexts) columns.issueHas(issueId, text);
  for (const g of groups) {
    if (!g.created) continue;
    const text = { ...g.first.meta, frames: g.frames ?? null };
    columns.issueHas(g.issueId, text);
    // Kept even if this batch rolls back: the id is then never found again, and the text read anew.
    options.issueTexts?.set(groupKey(g.projectId, g.fingerprint), g.issueId, text);
  }
  await insertEvents(client, fresh, issueOf, columns);
  const regressed = await updateIssuesAndCommit(client, sql, fresh, groups, issueOf, options.tagWriter ? [] : columns.tags.countInto(new TagCounts()).rows(), columns.users.rows(), options.searchIndex !== false);
  options.tagWriter?.add(columns.tags);
  return {
    stored: [...fresh].sort((a, b) => a.index - b.index).map((e) => ({
      projectId: e.projectId,
      eventId: e.eventId,
      issueId: issueOf(e),
      receivedAt: e.receivedAt.toISOString(),
    })),
    duplicates,
    created,
    regressed,
  };
}

/** For each issue to create, the frames of its batch's first event that has some (ingest keeps them on one). */
function issueFrames(events: Claimed[], groups: IssueGroup[]): void {
  for (const e of events) {
    const g = groups[e.group];
    const s = e.source.search;
    if (g.issueId !== '' || g.frames || s === undefined || s.filenames.length + s.functions.length === 0) continue;
    g.frames = { f: s.filenames, fn: s.functions };
  }
}

/** Creates the missing issues; one a concurrent batch created first is looked up and updated instead. */
async function createIssues(client: PgClient, missing: IssueGroup[]): Promise<Issue[]> {
  if (missing.length === 0) return [];
  const created = await insertMissingIssues(client, missing);
  const lost = missing.filter((g) => {
    const issue = created.get(groupKey(g.projectId, g.fingerprint));
    if (issue) {
      g.issueId = issue.id;
      g.created = true;
    }
    return !issue;
  });
  if (lost.length > 0) {
    const ids = await findIssueIds(client, lost);
    for (const g of lost) {
      g.issueId = ids.get(groupKey(g.projectId, g.fingerprint)) ?? '';
      if (g.issueId === '') throw new Error(`issue ${g.fingerprint} vanished while storing a batch`);
    }
  }
  return missing.filter((g) => g.created).map((g) => created.get(groupKey(g.projectId, g.fingerprint))!);
}
