import type { AlertRule } from '../providers/alert-rules.js';
import type { StorageProvider } from '../providers/storage.js';

/**
 * The enabled rules by project, read from storage at most once per `ttlMs` on this node (rules change
 * rarely; events come often). A change through this node's API clears it at once; other nodes see it
 * within `ttlMs`.
 */
export class AlertRuleCache {
  private rules: Map<number, AlertRule[]> | null = null;
  private loadedAt = 0;
  private loading: Promise<Map<number, AlertRule[]>> | null = null;

  constructor(
    private readonly storage: () => StorageProvider,
    private readonly ttlMs: number,
  ) {}

  async forProject(projectId: number): Promise<AlertRule[]> {
    return (await this.all()).get(projectId) ?? [];
  }

  async all(): Promise<Map<number, AlertRule[]>> {
    if (this.rules && Date.now() - this.loadedAt < this.ttlMs) return this.rules;
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  invalidate(): void {
    this.rules = null;
  }

  private async load(): Promise<Map<number, AlertRule[]>> {
    const byProject = new Map<number, AlertRule[]>();
    for (const rule of await this.storage().listAlertRules({ enabled: true })) {
      const list = byProject.get(rule.projectId) ?? [];
      list.push(rule);
      byProject.set(rule.projectId, list);
    }
    this.rules = byProject;
    this.loadedAt = Date.now();
    return byProject;
  }
}
