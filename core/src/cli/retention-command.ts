import { FaultlineError } from '../errors.js';
import type { RetentionPolicy } from '../providers/storage.js';
import { applyRetentionPatch, MAX_RETENTION_DAYS, type RetentionPatch } from '../retention/retention-policy.js';
import { formatBytes, onOffArg, positiveIntegerArg } from './cli-args.js';
import { openFaultline, type CliContext } from './open-faultline.js';

type Out = (line: string) => void;
const stdout: Out = (line) => process.stdout.write(`${line}\n`);

/** `faultline retention status`: rows and bytes per partition and what the next run will do with each. */
export async function retentionStatusCommand(ctx: CliContext, options: { json?: boolean }, out: Out = stdout): Promise<void> {
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    const plan = await faultline.retention.plan();
    if (options.json) return out(JSON.stringify(plan));
    out(`Archive: ${faultline.archive ? faultline.archive.name : 'none configured'}`);
    for (const { projectId, policy } of plan.policies) out(`Project ${projectId}: ${describePolicy(policy)}`);
    for (const p of plan.partitions) {
      const archive = p.projects.filter((d) => d.action === 'archive').length;
      const what = p.drop ? `drop${archive ? ` after archiving ${archive} project-day(s)` : ''}` : `keep (${p.reason})`;
      out(`${p.partition}  ${String(p.rows).padStart(10)} rows  ${formatBytes(p.bytes).padStart(9)}  ${what}`);
    }
    for (const d of plan.capped) out(`cap: project ${d.projectId} ${d.from.slice(0, 10)} (${d.rows} rows) leaves early (${d.action})`);
    if (plan.removeArchives.length > 0) out(`Archives past delete-after to remove: ${plan.removeArchives.length}`);
  } finally {
    await faultline.stop();
  }
}

/** `faultline retention set --project P [--hot-days N] [--archive on|off] [--delete-after N] [--max-events N|none]`. */
export async function retentionSetCommand(
  ctx: CliContext,
  options: { project?: string; hotDays?: string; archive?: string; deleteAfter?: string; maxEvents?: string; json?: boolean },
  out: Out = stdout,
): Promise<void> {
  const projectId = positiveIntegerArg('project', options.project);
  const patch: RetentionPatch = {};
  if (options.hotDays !== undefined) patch.hotDays = days('hot-days', options.hotDays);
  if (options.archive !== undefined) patch.archive = onOffArg('archive', options.archive);
  if (options.deleteAfter !== undefined) patch.deleteAfterDays = days('delete-after', options.deleteAfter);
  if (options.maxEvents !== undefined) patch.maxEvents = options.maxEvents === 'none' ? null : positiveIntegerArg('max-events', options.maxEvents);
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    if (!(await faultline.storage.getProject(projectId))) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', `Project ${projectId} not found`, { path: 'project' });
    const next = applyRetentionPatch(await faultline.storage.getRetention(projectId), patch);
    const saved = Object.keys(patch).length > 0 ? await faultline.storage.setRetention(projectId, next) : next;
    if (options.json) out(JSON.stringify(saved));
    else out(`Project ${projectId}: ${describePolicy(saved)}`);
  } finally {
    await faultline.stop();
  }
}

function describePolicy(p: RetentionPolicy): string {
  return `hot ${p.hotDays} days, archive ${p.archive ? 'on' : 'off'}, delete after ${p.deleteAfterDays} days, cap ${p.maxEvents ?? 'none'}`;
}

function days(name: string, value: string): number {
  const n = positiveIntegerArg(name, value);
  if (n > MAX_RETENTION_DAYS) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `--${name} must be at most ${MAX_RETENTION_DAYS}`, { path: name });
  return n;
}
