import type { ProjectScrubbing, ScrubbingRules } from '../../providers/scrubbing.js';

/** Each project's scrubbing rules with a version that grows by one per change, as the Postgres table keeps them. */
export class MemoryScrubbing {
  private readonly byProject = new Map<number, ProjectScrubbing>();

  get(projectId: number): ProjectScrubbing | null {
    const found = this.byProject.get(projectId);
    return found ? structuredClone(found) : null;
  }

  set(projectId: number, rules: ScrubbingRules): ProjectScrubbing {
    const { keys = [], patterns = [], emails = false, ipAddresses = false } = structuredClone(rules);
    const version = (this.byProject.get(projectId)?.version ?? 0) + 1;
    const next: ProjectScrubbing = { keys, patterns, emails, ipAddresses, version, updatedAt: new Date().toISOString() };
    this.byProject.set(projectId, next);
    return structuredClone(next);
  }
}
