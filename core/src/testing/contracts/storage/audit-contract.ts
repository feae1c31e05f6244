import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'mocha';
import type { StorageContractContext } from './storage-fixtures.js';

/** recordAudit / listAudit: appended entries read back newest first, scoped by project, paged by cursor. */
export function auditContract(t: StorageContractContext): void {
  describe('audit log', () => {
    it('reads entries back newest first, as written, scoped to projects and paged with a cursor', async () => {
      const storage = t.storage();
      const [a, b] = await Promise.all(
        ['a', 'b'].map((n) => storage.createProject({ name: n, slug: `audit-${n}-${randomBytes(4).toString('hex')}` })),
      );
      for (const [i, project] of [a, b, a, a].entries()) {
        await storage.recordAudit({ actor: 'token:flt_abcd', action: `thing.do${i}`, projectId: project.id, target: String(i), ip: '127.0.0.1', details: { n: i } });
      }
      const first = await storage.listAudit({ projectIds: [a.id], limit: 2 });
      assert.deepEqual(first.data.map((e) => e.action), ['thing.do3', 'thing.do2']);
      assert.deepEqual(first.data[0].details, { n: 3 });
      assert.equal(first.data[0].actor, 'token:flt_abcd');
      assert.ok(Number.isFinite(Date.parse(first.data[0].at)));
      assert.ok(first.nextCursor);
      const second = await storage.listAudit({ projectIds: [a.id], limit: 2, cursor: first.nextCursor! });
      assert.deepEqual(second.data.map((e) => e.action), ['thing.do0']);
      assert.equal(second.nextCursor, null);
      const onlyB = await storage.listAudit({ projectIds: [b.id], limit: 10 });
      assert.deepEqual(onlyB.data.map((e) => e.target), ['1']);
      const all = await storage.listAudit({ projectIds: null, limit: 100 });
      assert.ok(all.data.filter((e) => e.projectId === a.id || e.projectId === b.id).length >= 4);
    });
  });
}
