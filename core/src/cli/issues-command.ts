import type { IssueStatus } from '../providers/storage.js';
import { openFaultline, type CliContext } from './open-faultline.js';

export const ISSUE_ACTIONS = { resolve: 'resolved', ignore: 'ignored', unresolve: 'unresolved' } as const satisfies Record<string, IssueStatus>;
export type IssueAction = keyof typeof ISSUE_ACTIONS;

/**
 * `faultline issues resolve|ignore|unresolve <id...>`: the issue workflow with an operator's reach (every
 * project). All ids must exist or nothing changes. One line per issue, or with `--json` one JSON object
 * `{"issues":[{"id","status","previous","changed"}]}`; plugins' `issue:updated` handlers run before it exits.
 */
export async function issuesCommand(
  ctx: CliContext,
  action: IssueAction,
  ids: string[],
  options: { json?: boolean },
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  const faultline = await openFaultline(ctx, { processEvents: false });
  try {
    const changes = await faultline.issues.setStatus(ids, ISSUE_ACTIONS[action], { projectIds: null });
    if (options.json) {
      out(JSON.stringify({ issues: changes.map((c) => ({ id: c.issue.id, status: c.issue.status, previous: c.previous.status, changed: c.changed })) }));
    } else {
      for (const { issue, previous, changed } of changes) {
        out(changed ? `Issue ${issue.id} ${issue.status} (was ${previous.status}): ${issue.title}` : `Issue ${issue.id} was already ${issue.status}: ${issue.title}`);
      }
    }
  } finally {
    await faultline.stop();
  }
}
