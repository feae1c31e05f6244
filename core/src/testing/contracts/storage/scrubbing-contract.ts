import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'mocha';
import type { StorageContractContext } from './storage-fixtures.js';

/** getScrubbing / setScrubbing: a project's rules read back as set, with a version that grows per change. */
export function scrubbingContract(t: StorageContractContext): void {
  describe('scrubbing rules', () => {
    it('keeps each project its own rules, versioned by change', async () => {
      const storage = t.storage();
      const [a, b] = await Promise.all(
        ['a', 'b'].map((n) => storage.createProject({ name: n, slug: `scrub-${n}-${randomBytes(4).toString('hex')}` })),
      );
      assert.equal(await storage.getScrubbing(a.id), null);
      const first = await storage.setScrubbing(a.id, { keys: ['tenant_secret'], patterns: ['acct-[0-9]+'], emails: true, ipAddresses: false });
      assert.equal(first.version, 1);
      const second = await storage.setScrubbing(a.id, { keys: [], patterns: [], emails: false, ipAddresses: true });
      assert.equal(second.version, 2);
      const read = await storage.getScrubbing(a.id);
      assert.deepEqual({ ...read, updatedAt: undefined }, { keys: [], patterns: [], emails: false, ipAddresses: true, version: 2, updatedAt: undefined });
      assert.ok(Number.isFinite(Date.parse(read!.updatedAt!)));
      assert.equal(await storage.getScrubbing(b.id), null, 'another project is untouched');
    });
  });
}
