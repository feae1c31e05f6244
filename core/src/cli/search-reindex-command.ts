import { SingleBar } from 'cli-progress';
import { FaultlineError } from '../errors.js';
import { openFaultline, type CliContext } from './open-faultline.js';

const DURATION = /^(\d{1,6})([hdw])$/;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `faultline search reindex [--project <id>] [--since <time>]`: rebuilds the search plugin's index from
 * the storage, with a progress bar on stderr (a TTY) and one summary line on stdout. The default search
 * keeps no index of its own (PostgreSQL indexes events as it stores them): then there is nothing to do,
 * and it says so.
 */
export async function searchReindexCommand(
  ctx: CliContext,
  options: { project?: string; since?: string },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  now: Date = new Date(),
): Promise<void> {
  const projectId = options.project === undefined ? undefined : parseProject(options.project);
  const since = options.since === undefined ? undefined : parseSince(options.since, now);
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    const search = faultline.search;
    if (!search.reindex) {
      out(`Search provider "${search.name}" keeps no index of its own: the storage indexes events as it stores them; nothing to rebuild.`);
      return;
    }
    const bar = process.stderr.isTTY ? new SingleBar({ format: 'reindex [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left', stream: process.stderr }) : null;
    let started = false;
    const result = await search.reindex({
      projectId,
      since,
      onProgress(done, total) {
        if (!bar) return;
        if (!started) bar.start(total, done);
        else bar.setTotal(total);
        started = true;
        bar.update(done);
      },
    });
    bar?.stop();
    out(`Reindexed ${result.indexed} events into "${search.name}"${projectId === undefined ? '' : ` for project ${projectId}`}${since ? ` since ${since.toISOString()}` : ''}.`);
  } finally {
    await faultline.stop();
  }
}

function parseProject(value: string): number {
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `--project takes a project id, not "${value}"`, { path: 'project' });
  return Number(value);
}

/** An ISO date or time, or a duration back from now (24h, 7d, 2w). */
export function parseSince(value: string, now: Date): Date {
  const m = DURATION.exec(value);
  const since = m ? new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2]]) : new Date(value);
  if (Number.isNaN(since.getTime()) || (!m && !/^\d{4}-\d{2}-\d{2}/.test(value))) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `--since takes a date (2026-01-01) or a duration (24h, 7d, 2w), not "${value}"`, {
      path: 'since',
    });
  }
  return since;
}
