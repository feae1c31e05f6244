import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { NewAlertDelivery, NewAlertRule } from '../../../providers/alert-rules.js';
import { groupedEvent, newFingerprint, type StorageContractContext } from './storage-fixtures.js';

const MINUTE = 60_000;

/**
 * Alert rules, the delivery log, and the state rule evaluation shares across nodes: a delivery key, a
 * latch and a throttle window each change for exactly one of many concurrent callers.
 */
export function alertRulesContract(t: StorageContractContext): void {
  const rule = (projectId: number, over: Partial<NewAlertRule> = {}): NewAlertRule => ({
    projectId,
    name: 'New errors',
    enabled: true,
    trigger: { type: 'issue.created' },
    filters: { level: 'error', tags: { region: ['eu'] } },
    actions: [{ channel: 'email', to: ['ops@example.com'] }],
    throttleMinutes: 30,
    digestMinutes: null,
    ...over,
  });
  const delivery = (ruleId: string, projectId: number, key: string, over: Partial<NewAlertDelivery> = {}): NewAlertDelivery => ({
    ruleId,
    projectId,
    key,
    action: 0,
    channel: 'email',
    issueId: null,
    reason: 'issue:created',
    status: 'pending',
    digestKey: null,
    message: { title: key },
    ...over,
  });

  describe('alert rules', () => {
    it('creates, lists by project and state, reads, changes and deletes rules', async () => {
      const storage = t.storage();
      const [mine, theirs] = [await t.newProject(), await t.newProject()];
      const a = await storage.createAlertRule(rule(mine));
      const b = await storage.createAlertRule(rule(mine, { name: 'Off', enabled: false, trigger: { type: 'project.frequency', count: 100, minutes: 1 } }));
      await storage.createAlertRule(rule(theirs));
      assert.deepEqual({ ...a, id: undefined, createdAt: undefined, updatedAt: undefined }, { ...rule(mine), id: undefined, createdAt: undefined, updatedAt: undefined });
      assert.deepEqual((await storage.listAlertRules({ projectId: mine })).map((r) => r.id), [a.id, b.id]);
      assert.deepEqual((await storage.listAlertRules({ projectId: mine, enabled: true })).map((r) => r.id), [a.id]);
      assert.deepEqual(await storage.getAlertRule(b.id), b);
      const changed = await storage.updateAlertRule(a.id, { name: 'Renamed', digestMinutes: 10, filters: {} });
      assert.equal(changed?.name, 'Renamed');
      assert.equal(changed?.digestMinutes, 10);
      assert.deepEqual(changed?.filters, {});
      assert.deepEqual(changed?.actions, a.actions, 'fields not in the patch stay');
      assert.equal(await storage.updateAlertRule('9000000000000000', { name: 'x' }), null);
      assert.equal(await storage.deleteAlertRule(a.id), true);
      assert.equal(await storage.deleteAlertRule(a.id), false);
      assert.equal(await storage.getAlertRule(a.id), null);
      assert.equal(await storage.getAlertRule('not-an-id'), null);
    });

    it('keeps one delivery per (rule, key), lists them newest first, and drops them with their rule', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const { id: ruleId } = await storage.createAlertRule(rule(projectId));
      const first = await storage.createAlertDelivery(delivery(ruleId, projectId, 'created:1:a0'));
      assert.ok(first);
      assert.equal(first.status, 'pending');
      assert.equal(first.attempts, 0);
      const racing = await Promise.all(Array.from({ length: 6 }, () => storage.createAlertDelivery(delivery(ruleId, projectId, 'created:2:a0'))));
      assert.equal(racing.filter(Boolean).length, 1, 'one of many concurrent creates wins');
      const sent = await storage.updateAlertDelivery(first.id, { status: 'sent', attempts: 2, error: null, receiverId: 'smtp-1' });
      assert.equal(sent?.status, 'sent');
      assert.equal(sent?.receiverId, 'smtp-1');
      assert.equal(sent?.attempts, 2);
      const failed = await storage.updateAlertDelivery(first.id, { error: 'boom' });
      assert.equal(failed?.error, 'boom');
      assert.equal(failed?.status, 'sent', 'fields not in the patch stay');
      assert.deepEqual((await storage.listAlertDeliveries(ruleId)).map((d) => d.key), ['created:2:a0', 'created:1:a0']);
      assert.deepEqual((await storage.listAlertDeliveries(ruleId, { status: 'sent' })).map((d) => d.id), [first.id]);
      assert.deepEqual((await storage.listAlertDeliveries(ruleId, { limit: 1 })).length, 1);
      assert.deepEqual((await storage.getAlertDelivery(first.id))?.message, { title: 'created:1:a0' });
      await storage.deleteAlertRule(ruleId);
      assert.deepEqual(await storage.listAlertDeliveries(ruleId), []);
      assert.equal(await storage.getAlertDelivery(first.id), null);
    });

    it('gives a digest window to one taker: a second take of it gets nothing', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const { id: ruleId } = await storage.createAlertRule(rule(projectId, { digestMinutes: 5 }));
      for (const key of ['a', 'b', 'c']) await storage.createAlertDelivery(delivery(ruleId, projectId, key, { status: 'digest', digestKey: 'digest:w1', action: -1, channel: '*' }));
      await storage.createAlertDelivery(delivery(ruleId, projectId, 'later', { status: 'digest', digestKey: 'digest:w2', action: -1, channel: '*' }));
      const [x, y] = await Promise.all([storage.takeDigest(ruleId, 'digest:w1'), storage.takeDigest(ruleId, 'digest:w1')]);
      const taken = [...x, ...y];
      assert.deepEqual(taken.map((d) => d.key).sort(), ['a', 'b', 'c']);
      assert.ok(taken.every((d) => d.status === 'digested'));
      assert.deepEqual((x.length ? x : y).map((d) => d.key), ['a', 'b', 'c'], 'oldest first');
      assert.deepEqual(await storage.takeDigest(ruleId, 'digest:w1'), []);
      assert.equal((await storage.listAlertDeliveries(ruleId, { status: 'digest' })).length, 1);
    });

    it('flips a latch for exactly one of many concurrent callers; it starts off', async () => {
      const storage = t.storage();
      const { id: ruleId } = await storage.createAlertRule(rule(await t.newProject()));
      assert.equal(await storage.setAlertLatch(ruleId, 'project', false), false);
      const ons = await Promise.all(Array.from({ length: 8 }, () => storage.setAlertLatch(ruleId, 'project', true)));
      assert.equal(ons.filter(Boolean).length, 1);
      assert.equal(await storage.setAlertLatch(ruleId, 'project', true), false);
      const offs = await Promise.all(Array.from({ length: 8 }, () => storage.setAlertLatch(ruleId, 'project', false)));
      assert.equal(offs.filter(Boolean).length, 1);
      assert.equal(await storage.setAlertLatch(ruleId, 'project', true), true, 'crossed again');
      assert.equal(await storage.setAlertLatch(ruleId, 'issue:1', true), true, 'another key has its own latch');
    });

    it('gives a throttle window to one caller, and again only once it ran out', async () => {
      const storage = t.storage();
      const { id: ruleId } = await storage.createAlertRule(rule(await t.newProject()));
      const now = new Date('2030-01-01T00:00:00Z');
      const until = new Date(now.getTime() + 30 * MINUTE);
      const claims = await Promise.all(Array.from({ length: 8 }, () => storage.claimAlertWindow(ruleId, 'throttle:1', now, until)));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await storage.claimAlertWindow(ruleId, 'throttle:1', new Date(until.getTime() - 1000), new Date(until.getTime() + 30 * MINUTE)), false);
      assert.equal(await storage.claimAlertWindow(ruleId, 'throttle:2', now, until), true, 'another issue');
      assert.equal(await storage.claimAlertWindow(ruleId, 'throttle:1', until, new Date(until.getTime() + 30 * MINUTE)), true);
    });

    it('counts recent events of a project or an issue, up to a limit', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const base = Date.now();
      const old = groupedEvent(projectId, newFingerprint(), { receivedAt: new Date(base - 10 * MINUTE) });
      const fp = newFingerprint();
      const recent = Array.from({ length: 4 }, (_, i) => groupedEvent(projectId, fp, { receivedAt: new Date(base - i * 1000) }));
      const { created } = await storage.storeBatch([old, ...recent]);
      const issueId = created.find((i) => i.fingerprint === fp)!.id;
      const since = new Date(base - MINUTE);
      assert.equal(await storage.countEvents(projectId, { since, limit: 100 }), 4);
      assert.equal(await storage.countEvents(projectId, { since: new Date(base - 20 * MINUTE), limit: 100 }), 5);
      assert.equal(await storage.countEvents(projectId, { since, limit: 3 }), 3, 'stops at the limit');
      assert.equal(await storage.countEvents(projectId, { since, issueId, limit: 100 }), 4);
      assert.equal(await storage.countEvents(projectId, { since, issueId: created.find((i) => i.fingerprint !== fp)!.id, limit: 100 }), 0);
    });

    it('sums a period\'s events, new issues and busiest issues for summaries', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 24 * 3_600_000;
      const [busy, quiet] = [newFingerprint(), newFingerprint()];
      const { created } = await storage.storeBatch([
        ...Array.from({ length: 3 }, (_, i) => groupedEvent(projectId, busy, { receivedAt: new Date(hour + i * 1000) })),
        groupedEvent(projectId, quiet, { receivedAt: new Date(hour + 5000) }),
      ]);
      const activity = await storage.projectActivity(projectId, { from: new Date(hour), to: new Date(hour + 3_600_000) }, 1);
      assert.equal(activity.events, 4);
      assert.equal(activity.newIssues, 2);
      assert.deepEqual(activity.topIssues, [{ issueId: created.find((i) => i.fingerprint === busy)!.id, events: 3 }]);
      const before = await storage.projectActivity(projectId, { from: new Date(hour - 3_600_000), to: new Date(hour) }, 5);
      assert.deepEqual(before, { events: 0, newIssues: 0, topIssues: [] });
    });
  });
}
