import type { Logger } from 'pino';
import type { Sequelize } from 'sequelize';
import { upsertIssueTags } from './batch-statements.js';
import { withClient } from './connection.js';
import { TagCounts, type TagObservations } from './tag-counts.js';

/** Past this many rows waiting, they are written at once rather than at the next tick. */
const MAX_PENDING_ROWS = 50_000;

/**
 * Issue tag counts of committed batches, added up in memory and written to `issue_tags` every `flushMs`
 * in one statement, as Sentry buffers its counters. Written in each batch's own transaction, every
 * batch updates the same few rows of each issue again (bench:ingest and the README measure what that
 * costs); added up over a few seconds, those repeats become one update each. Writing costs PostgreSQL about
 * the same per row written whether the row counts one event or hundreds, so the interval sets the cost: Sentry
 * flushes its counter buffers every few seconds too.
 *
 * What it gives up, for `flushMs` at most: a tag seen by another process is searchable and counted in
 * summaries once that process writes (this process's own reads write first: `beforeRead`), and a
 * process that dies without stopping loses the counts it held (the events themselves are stored; the
 * issue's counts are that much short). A write that fails keeps its counts for the next one.
 */
export class IssueTagWriter {
  private readonly pending = new TagCounts();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private failing = false;

  constructor(
    private readonly db: () => Sequelize,
    private readonly flushMs: number,
    private readonly log: Logger,
  ) {}

  /** The tags of a batch that has committed. */
  add(tags: TagObservations): void {
    if (tags.size === 0) return;
    tags.countInto(this.pending);
    if (this.pending.size >= MAX_PENDING_ROWS) void this.flush().catch(() => undefined);
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.flushMs).unref();
  }

  /** Before a read of `issue_tags`: what this process counted is written first, so it reads its own counts. */
  async beforeRead(): Promise<void> {
    // A write that fails was logged and its counts kept: the read goes on without them rather than fail too.
    await (this.pending.size > 0 ? this.flush() : this.writing).catch(() => undefined);
  }

  /** Writes what is held now (after any write under way); rejects if that write failed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.writing.catch(() => undefined).then(() => this.writeHeld());
    this.writing = next;
    return next;
  }

  private async writeHeld(): Promise<void> {
    const rows = this.pending.take();
    if (rows.length === 0) return;
    try {
      await withClient(this.db(), (client) => upsertIssueTags(client, rows));
      if (this.failing) this.log.info({ rows: rows.length }, 'issue tag counts written again');
      this.failing = false;
    } catch (err) {
      this.pending.merge(rows); // kept for the next write
      if (!this.failing) this.log.warn({ err, rows: rows.length }, 'issue tag counts could not be written; kept for the next try');
      this.failing = true;
      this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.flushMs).unref();
      throw err;
    }
  }
}
