import type {
  AlertDelivery,
  AlertDeliveryPatch,
  AlertDeliveryQuery,
  AlertRule,
  AlertRulePatch,
  NewAlertDelivery,
  NewAlertRule,
  ProjectActivity,
} from '../../providers/alert-rules.js';
import type { TimeRange } from '../../providers/storage.js';
import type { MemoryState } from './memory-state.js';

const ID = /^[1-9][0-9]{0,17}$/;
const copy = <T>(value: T): T => structuredClone(value);

/** Alert rules, their delivery log and evaluation state, as the Postgres tables hold them. */
export class MemoryAlerts {
  private rules = new Map<string, AlertRule>();
  private deliveries = new Map<string, AlertDelivery>();
  /** `${ruleId}\0${key}` -> state */
  private ruleState = new Map<string, { latched: boolean; until: number | null }>();
  private lastId = { rule: 0, delivery: 0 };

  constructor(private readonly state: MemoryState) {}

  createAlertRule(input: NewAlertRule): AlertRule {
    const now = new Date().toISOString();
    const rule: AlertRule = { ...copy(input), id: String(++this.lastId.rule), createdAt: now, updatedAt: now };
    this.rules.set(rule.id, rule);
    return copy(rule);
  }

  listAlertRules(filter: { projectId?: number; enabled?: boolean } = {}): AlertRule[] {
    return [...this.rules.values()]
      .filter((r) => (filter.projectId === undefined || r.projectId === filter.projectId) && (filter.enabled === undefined || r.enabled === filter.enabled))
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map(copy);
  }

  getAlertRule(id: string): AlertRule | null {
    const rule = this.rules.get(id);
    return rule ? copy(rule) : null;
  }

  updateAlertRule(id: string, patch: AlertRulePatch): AlertRule | null {
    const rule = this.rules.get(id);
    if (!rule) return null;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const updated = { ...rule, ...copy(defined), updatedAt: new Date().toISOString() };
    this.rules.set(id, updated);
    return copy(updated);
  }

  deleteAlertRule(id: string): boolean {
    if (!this.rules.delete(id)) return false;
    for (const [key, d] of this.deliveries) if (d.ruleId === id) this.deliveries.delete(key);
    for (const key of this.ruleState.keys()) if (key.startsWith(`${id}\u0000`)) this.ruleState.delete(key);
    return true;
  }

  createAlertDelivery(input: NewAlertDelivery): AlertDelivery | null {
    if (!this.rules.has(input.ruleId)) throw new Error(`No alert rule ${input.ruleId}`);
    for (const d of this.deliveries.values()) if (d.ruleId === input.ruleId && d.key === input.key) return null;
    const now = new Date().toISOString();
    const delivery: AlertDelivery = { ...copy(input), id: String(++this.lastId.delivery), attempts: 0, error: null, receiverId: null, createdAt: now, updatedAt: now };
    this.deliveries.set(delivery.id, delivery);
    return copy(delivery);
  }

  updateAlertDelivery(id: string, patch: AlertDeliveryPatch): AlertDelivery | null {
    const delivery = this.deliveries.get(id);
    if (!delivery) return null;
    const defined = Object.fromEntries(Object.entries(patch).filter(([k, v]) => v !== undefined && (v !== null || k === 'error')));
    const updated = { ...delivery, ...defined, updatedAt: new Date().toISOString() };
    this.deliveries.set(id, updated);
    return copy(updated);
  }

  getAlertDelivery(id: string): AlertDelivery | null {
    const delivery = this.deliveries.get(id);
    return delivery ? copy(delivery) : null;
  }

  listAlertDeliveries(ruleId: string, query: AlertDeliveryQuery = {}): AlertDelivery[] {
    if (query.before !== undefined && !ID.test(query.before)) return [];
    return [...this.deliveries.values()]
      .filter((d) => d.ruleId === ruleId && (query.status === undefined || d.status === query.status) && (query.digestKey === undefined || d.digestKey === query.digestKey))
      .filter((d) => query.before === undefined || Number(d.id) < Number(query.before))
      .sort((a, b) => Number(b.id) - Number(a.id))
      .slice(0, Math.max(1, Math.min(query.limit ?? 50, 1000)))
      .map(copy);
  }

  takeDigest(ruleId: string, digestKey: string): AlertDelivery[] {
    const taken: AlertDelivery[] = [];
    for (const d of [...this.deliveries.values()].sort((a, b) => Number(a.id) - Number(b.id))) {
      if (d.ruleId !== ruleId || d.digestKey !== digestKey || d.status !== 'digest') continue;
      d.status = 'digested';
      d.updatedAt = new Date().toISOString();
      taken.push(copy(d));
    }
    return taken;
  }

  claimAlertWindow(ruleId: string, key: string, now: Date, until: Date): boolean {
    const state = this.stateOf(ruleId, key);
    if (state.until !== null && state.until > now.getTime()) return false;
    state.until = until.getTime();
    return true;
  }

  setAlertLatch(ruleId: string, key: string, on: boolean): boolean {
    const state = this.stateOf(ruleId, key);
    if (state.latched === on) return false;
    state.latched = on;
    return true;
  }

  countEvents(projectId: number, query: { since: Date; issueId?: string; limit: number }): number {
    let n = 0;
    const since = query.since.getTime();
    for (const e of this.state.events.values()) {
      if (e.projectId !== projectId || e.receivedAt < since || (query.issueId !== undefined && e.issueId !== query.issueId)) continue;
      if (++n >= Math.max(1, query.limit)) break;
    }
    return n;
  }

  projectActivity(projectId: number, range: TimeRange, top: number): ProjectActivity {
    const byIssue = new Map<string, number>();
    let events = 0;
    for (const [key, count] of this.state.issueHours) {
      const [project, bucket, issueId] = key.split(':');
      if (Number(project) !== projectId) continue;
      const at = Number(bucket);
      if (at < range.from.getTime() || at >= range.to.getTime()) continue;
      events += count;
      byIssue.set(issueId, (byIssue.get(issueId) ?? 0) + count);
    }
    let newIssues = 0;
    for (const issue of this.state.issues.values()) {
      const first = Date.parse(issue.firstSeen);
      if (issue.projectId === projectId && first >= range.from.getTime() && first < range.to.getTime()) newIssues++;
    }
    const topIssues = [...byIssue]
      .sort((a, b) => b[1] - a[1] || (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1))
      .slice(0, Math.max(0, top))
      .map(([issueId, n]) => ({ issueId, events: n }));
    return { events, newIssues, topIssues };
  }

  private stateOf(ruleId: string, key: string) {
    const k = `${ruleId}\u0000${key}`;
    let state = this.ruleState.get(k);
    if (!state) {
      state = { latched: false, until: null };
      this.ruleState.set(k, state);
    }
    return state;
  }
}

