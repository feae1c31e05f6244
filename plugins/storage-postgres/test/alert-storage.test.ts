import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-database.js';
import { PostgresStorage } from '../src/postgres-storage.js';

/** The state rule evaluation shares across nodes: windows and latches change for one caller only. */
describe('Postgres storage: alert rule state and activity', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let storage: PostgresStorage;
  let ruleId: string;

  before(async () => {
    database = await createTestDatabase();
    storage = new PostgresStorage({ url: database.url });
    await storage.migrate();
    const project = await storage.createProject({ name: 'P', slug: 'p' });
    ruleId = (await storage.createAlertRule({ projectId: project.id, name: 'r', enabled: true, trigger: { type: 'issue.created' }, filters: {}, actions: [{ channel: 'x' }], throttleMinutes: 0, digestMinutes: null })).id;
  });
  after(async () => {
    await storage?.close();
    await database?.drop();
  });

  it('a latch starts off and flips for exactly one of many concurrent callers', async () => {
    expect(await storage.setAlertLatch(ruleId, 'k', false)).to.equal(false);
    const ons = await Promise.all(Array.from({ length: 8 }, () => storage.setAlertLatch(ruleId, 'k', true)));
    expect(ons.filter(Boolean)).to.have.length(1);
    expect(await storage.setAlertLatch(ruleId, 'k', true)).to.equal(false);
    const offs = await Promise.all(Array.from({ length: 8 }, () => storage.setAlertLatch(ruleId, 'k', false)));
    expect(offs.filter(Boolean)).to.have.length(1);
    expect(await storage.setAlertLatch(ruleId, 'k', true)).to.equal(true);
  });

  it('a throttle window is claimed by one caller and again only once it ran out', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const until = new Date('2026-01-01T00:30:00Z');
    const claims = await Promise.all(Array.from({ length: 8 }, () => storage.claimAlertWindow(ruleId, 'w', now, until)));
    expect(claims.filter(Boolean)).to.have.length(1);
    expect(await storage.claimAlertWindow(ruleId, 'w', new Date('2026-01-01T00:29:59Z'), new Date('2026-01-01T01:00:00Z'))).to.equal(false);
    expect(await storage.claimAlertWindow(ruleId, 'w', until, new Date('2026-01-01T01:00:00Z'))).to.equal(true);
  });

  it('a digest window is taken once: a second take gets nothing', async () => {
    const base = { ruleId, projectId: 1, action: -1, channel: '*', issueId: null, reason: 'issue:created', status: 'digest' as const, digestKey: 'digest:w1', message: {} };
    await storage.createAlertDelivery({ ...base, key: 'd1' });
    await storage.createAlertDelivery({ ...base, key: 'd2' });
    const [a, b] = await Promise.all([storage.takeDigest(ruleId, 'digest:w1'), storage.takeDigest(ruleId, 'digest:w1')]);
    expect(a.length + b.length).to.equal(2);
    expect([...a, ...b].every((d) => d.status === 'digested')).to.equal(true);
  });

  it('deleting a rule removes its deliveries and state', async () => {
    const project = await storage.createProject({ name: 'Q', slug: 'q' });
    const rule = await storage.createAlertRule({ projectId: project.id, name: 'gone', enabled: false, trigger: { type: 'level', level: 'error' }, filters: {}, actions: [{ channel: 'x' }], throttleMinutes: 5, digestMinutes: 10 });
    await storage.createAlertDelivery({ ruleId: rule.id, projectId: project.id, key: 'k', action: 0, channel: 'x', issueId: null, reason: 'level', status: 'pending', digestKey: null, message: {} });
    expect(await storage.listAlertRules({ enabled: false })).to.have.length(1);
    expect(await storage.deleteAlertRule(rule.id)).to.equal(true);
    expect(await storage.listAlertDeliveries(rule.id)).to.deep.equal([]);
    expect(await storage.deleteAlertRule(rule.id)).to.equal(false);
  });
});
