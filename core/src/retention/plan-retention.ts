import type { ArchiveProvider, ArchiveRecord } from '../providers/archive.js';
import type { EventTimeRange, RetentionPolicy, StorageProvider } from '../providers/storage.js';

/**
 * What the next retention run will do, worked out from storage and the archive without changing either:
 * the same plan is printed by `faultline retention status` and carried out by the run.
 *
 * Events live in daily partitions shared by every project, and a partition is only ever dropped whole
 * (disk is freed at once; a DELETE would leave dead rows for VACUUM). So a day is dropped when every
 * project with rows in it is done with it: past its hot days and archived (or archive off), or past its
 * delete-after days. A project that keeps its events longer keeps the day. The event-count cap is the
 * one exception: it deletes the capped project's oldest whole days (after archiving them), because it is
 * a guard against one project filling the disk, not the normal path.
 */

const DAY_MS = 86_400_000;
/**
 * Postgres' catch-all partition, where events land when their day has no partition (upkeep stopped for a
 * week, a clock jump). It is never dropped; each of its days is planned like a partition and removed
 * with the day's range (rows deleted: the one place where that cannot be helped).
 */
const DEFAULT_PARTITION = 'events_default';

/** The storage's name for a day's rows: its partition, a day of the default one, or the day itself. */
function partitionOf(range: EventTimeRange): string {
  if (range.partition === DEFAULT_PARTITION) return `${DEFAULT_PARTITION} ${range.from.slice(0, 10)}`;
  return range.partition ?? `day ${range.from.slice(0, 10)}`;
}

/** A project's rows in one day and what happens to them. */
export interface ProjectDayPlan {
  projectId: number;
  /** ISO times of the day: [from, to). */
  from: string;
  to: string;
  rows: number;
  bytes: number;
  /**
   * hot: still inside hot days. archive: to be exported, then dropped. archived: in the archive already,
   * to be dropped. expire: dropped without an archive (archive off, or past delete-after).
   * wait: past hot days with archive on but no archive configured; kept until delete-after.
   */
  action: 'hot' | 'archive' | 'archived' | 'expire' | 'wait';
}

export interface PartitionPlan {
  partition: string;
  from: string;
  to: string;
  rows: number;
  bytes: number;
  /** Dropped by the run (after its archive steps). */
  drop: boolean;
  /** Why it stays, when it does. */
  reason: string | null;
  projects: ProjectDayPlan[];
}

export interface RetentionPlan {
  now: string;
  /** Each project's policy as the plan read it. */
  policies: Array<{ projectId: number; policy: RetentionPolicy }>;
  /** Daily partitions (and days of the default partition), oldest first. */
  partitions: PartitionPlan[];
  /** Whole project-days removed because the project is over its event cap (archived first when on). */
  capped: ProjectDayPlan[];
  /** De-duplication records to forget: each project's event ids received before `before`. */
  pruneEventIds: Array<{ projectId: number; before: string }>;
  /** Archives past their project's delete-after days, removed when the archive can remove. */
  removeArchives: ArchiveRecord[];
}

/**
 * `all: false` (what a run uses) leaves out partitions inside every project's hot days, and counts each
 * project's rows only in days past its hot days (all of them for a project with an event cap), so a run
 * reads old partitions only. `retention status` lists every partition.
 */
export async function planRetention(storage: StorageProvider, archive: ArchiveProvider | null, now: Date, options: { all?: boolean } = {}): Promise<RetentionPlan> {
  const all = options.all ?? true;
  const projects = await storage.listProjects();
  const policies = new Map<number, RetentionPolicy>();
  for (const p of projects) policies.set(p.id, await storage.getRetention(p.id));
  const archived = new Map<string, ArchiveRecord>();
  const archives = archive ? await archive.list() : [];
  for (const record of archives) archived.set(dayKey(record.projectId, record.from, record.to), record);

  const byPartition = new Map<string, ProjectDayPlan[]>();
  const byProject = new Map<number, ProjectDayPlan[]>();
  for (const project of projects) {
    const policy = policies.get(project.id)!;
    const days: ProjectDayPlan[] = [];
    const before = all || policy.maxEvents !== null ? undefined : new Date(now.getTime() - policy.hotDays * DAY_MS);
    for (const range of await storage.listEventRanges({ projectId: project.id, ...(before ? { before } : {}) })) {
      if (range.rows === 0) continue;
      const record = archived.get(dayKey(project.id, range.from, range.to));
      const day: ProjectDayPlan = {
        projectId: project.id,
        from: range.from,
        to: range.to,
        rows: range.rows,
        bytes: range.bytes,
        action: dayAction(policy, Date.parse(range.to), now.getTime(), record, range.rows, archive !== null),
      };
      days.push(day);
      const list = byPartition.get(partitionOf(range)) ?? [];
      list.push(day);
      byPartition.set(partitionOf(range), list);
    }
    byProject.set(project.id, days);
  }

  // An empty partition may go once it is older than every project's hot days.
  const minHot = Math.min(...[...policies.values()].map((p) => p.hotDays), Number.POSITIVE_INFINITY);
  const oldest = Number.isFinite(minHot) ? new Date(now.getTime() - minHot * DAY_MS) : new Date(0);
  const partitions: PartitionPlan[] = [];
  for (const range of await storage.listEventRanges(all ? {} : { before: oldest })) {
    const days = byPartition.get(partitionOf(range)) ?? [];
    const holding = days.filter((d) => d.action === 'hot' || d.action === 'wait');
    const accounted = days.reduce((n, d) => n + d.rows, 0);
    let reason: string | null = null;
    if (days.length === 0 && range.rows === 0 && Date.parse(range.to) > oldest.getTime()) reason = 'inside hot days';
    // Rows no project's plan accounts for (a project inside its hot days, or rows that came in since it
    // was counted) keep the partition: it is only ever dropped when every row in it has been decided.
    else if (accounted < range.rows) reason = 'holds events of a project inside its hot days';
    else if (holding.length > 0) {
      reason = holding.map((d) => `project ${d.projectId} ${d.action === 'hot' ? 'is inside hot days' : 'waits for an archive'}`).join('; ');
    }
    partitions.push({ partition: partitionOf(range), from: range.from, to: range.to, rows: range.rows, bytes: range.bytes, drop: reason === null, reason, projects: days });
  }

  const dropped = new Set(partitions.filter((p) => p.drop).map((p) => p.from));
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const capped: ProjectDayPlan[] = [];
  for (const project of projects) {
    const policy = policies.get(project.id)!;
    if (policy.maxEvents === null) continue;
    const days = byProject.get(project.id)!.filter((d) => !dropped.has(d.from));
    let total = days.reduce((n, d) => n + d.rows, 0);
    for (const day of days) {
      if (total <= policy.maxEvents || Date.parse(day.from) >= today) break;
      if (policy.archive && !archive && day.action !== 'expire') break; // nothing leaves unarchived
      const action = day.action === 'archived' ? 'archived' : day.action === 'expire' || !policy.archive ? 'expire' : 'archive';
      capped.push({ ...day, action });
      total -= day.rows;
    }
  }

  const removeArchives = archive?.remove
    ? archives.filter((a) => {
        const policy = policies.get(a.projectId);
        return policy !== undefined && Date.parse(a.to) <= now.getTime() - policy.deleteAfterDays * DAY_MS;
      })
    : [];

  return {
    now: now.toISOString(),
    policies: projects.map((p) => ({ projectId: p.id, policy: policies.get(p.id)! })),
    partitions,
    capped,
    pruneEventIds: projects.map((p) => ({ projectId: p.id, before: new Date(now.getTime() - policies.get(p.id)!.deleteAfterDays * DAY_MS).toISOString() })),
    removeArchives,
  };
}

function dayAction(policy: RetentionPolicy, dayEnd: number, now: number, record: ArchiveRecord | undefined, rows: number, haveArchive: boolean): ProjectDayPlan['action'] {
  if (dayEnd > now - policy.hotDays * DAY_MS) return 'hot';
  if (dayEnd <= now - policy.deleteAfterDays * DAY_MS || !policy.archive) return 'expire';
  // An archive holding fewer events than the day (say events were restored and more came back) is redone.
  if (record && record.events >= rows) return 'archived';
  return haveArchive ? 'archive' : 'wait';
}

function dayKey(projectId: number, from: string, to: string): string {
  return `${projectId}|${new Date(from).toISOString()}|${new Date(to).toISOString()}`;
}
