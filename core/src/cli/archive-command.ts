import { FaultlineError } from '../errors.js';
import type { Faultline } from '../create-faultline.js';
import type { ArchiveProvider, RestoreResult } from '../providers/archive.js';
import { dayArg, formatBytes, positiveIntegerArg } from './cli-args.js';
import { openFaultline, type CliContext } from './open-faultline.js';
import { progressBar } from './progress-bar.js';

const DAY_MS = 86_400_000;
type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);

/** Opens Faultline for a one-shot command (no event processing, no retention schedule) and closes it after. */
async function withFaultline<T>(ctx: CliContext, work: (faultline: Faultline) => Promise<T>): Promise<T> {
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    return await work(faultline);
  } finally {
    await faultline.stop();
  }
}

function needArchive(faultline: Faultline): ArchiveProvider {
  if (!faultline.archive) {
    throw new FaultlineError('FAULTLINE_ERR_PROVIDER_MISSING', 'No archive is configured: add "@faultline/plugin-archive-s3" to plugins in faultline.config and set FAULTLINE_S3_*');
  }
  return faultline.archive;
}

/** `faultline archive run`: the nightly retention run now (archive past hot days, drop whole days, prune). */
export async function archiveRunCommand(ctx: CliContext, options: { json?: boolean }, out: Out = stdout): Promise<void> {
  await withFaultline(ctx, async (faultline) => {
    const bar = progressBar('retention');
    let report;
    try {
      report = await faultline.retention.run({ onProgress: ({ done, total, step }) => bar.update(done, total, step) });
    } finally {
      bar.stop();
    }
    const summary = {
      archivesWritten: report.archivesWritten,
      eventsArchived: report.eventsArchived,
      partitionsDropped: report.partitionsDropped,
      eventsDropped: report.eventsDropped,
      eventIdsPruned: report.eventIdsPruned,
      archivesRemoved: report.archivesRemoved,
      failures: report.failures,
    };
    if (options.json) out(JSON.stringify(summary));
    else {
      out(`Archived ${report.eventsArchived} events in ${report.archivesWritten} archives; dropped ${report.partitionsDropped} partitions (${report.eventsDropped} events).`);
      out(`Pruned ${report.eventIdsPruned} event ids; removed ${report.archivesRemoved} expired archives.`);
    }
    if (report.failures.length > 0) {
      throw new FaultlineError('FAULTLINE_ERR_RETENTION_INCOMPLETE', `${report.failures.length} step(s) failed, first: ${report.failures[0].step}: ${report.failures[0].error}`);
    }
  });
}

/** `faultline archive list --project P`: the project's archives, oldest first. */
export async function archiveListCommand(ctx: CliContext, options: { project?: string; json?: boolean }, out: Out = stdout): Promise<void> {
  const projectId = positiveIntegerArg('project', options.project);
  await withFaultline(ctx, async (faultline) => {
    const records = await needArchive(faultline).list({ projectId });
    if (options.json) return out(JSON.stringify({ archives: records }));
    if (records.length === 0) return out(`Project ${projectId} has no archives.`);
    for (const r of records) out(`${r.from.slice(0, 10)}  ${String(r.events).padStart(9)} events  ${formatBytes(r.bytes).padStart(9)}  ${r.location}`);
  });
}

/**
 * `faultline archive restore --project P --from D --to D`: brings archived events of those days (both
 * inclusive, UTC) back into storage, a day at a time; events already there are skipped.
 */
export async function archiveRestoreCommand(ctx: CliContext, options: { project?: string; from?: string; to?: string; json?: boolean }, out: Out = stdout): Promise<void> {
  const projectId = positiveIntegerArg('project', options.project);
  const from = dayArg('from', options.from);
  const last = dayArg('to', options.to);
  if (last < from) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', '--to must not be before --from', { path: 'to' });
  await withFaultline(ctx, async (faultline) => {
    const archive = needArchive(faultline);
    const days = Math.round((last.getTime() - from.getTime()) / DAY_MS) + 1;
    const total: RestoreResult = { restored: 0, skipped: 0, archives: 0 };
    const bar = progressBar('restore');
    try {
      for (let i = 0; i < days; i++) {
        const day = new Date(from.getTime() + i * DAY_MS);
        bar.update(i, days, day.toISOString().slice(0, 10));
        const got = await archive.restore({ projectId, from: day, to: new Date(day.getTime() + DAY_MS) });
        total.restored += got.restored;
        total.skipped += got.skipped;
        total.archives += got.archives;
      }
      bar.update(days, days, 'done');
    } finally {
      bar.stop();
    }
    if (options.json) out(JSON.stringify(total));
    else out(`Restored ${total.restored} events (${total.skipped} already there) from ${total.archives} archive reads.`);
  });
}
