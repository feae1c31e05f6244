import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'mocha';
import type { StorageContractContext } from './storage-fixtures.js';

/** claimScheduledRun: one caller per (schedule, slot), however many ask at once. */
export function scheduleClaimsContract(t: StorageContractContext): void {
  describe('scheduled-run claims', () => {
    it('gives each (name, slot) to exactly one of many concurrent callers, and never again', async () => {
      const storage = t.storage();
      const name = `digest-${randomBytes(4).toString('hex')}`;
      const hour = Math.ceil(Date.now() / 3_600_000) * 3_600_000; // a coming slot: old claims may be pruned
      const [slot, nextSlot] = [new Date(hour).toISOString(), new Date(hour + 3_600_000).toISOString()];
      const claims = await Promise.all(Array.from({ length: 8 }, () => storage.claimScheduledRun(name, slot)));
      assert.equal(claims.filter(Boolean).length, 1);
      assert.equal(await storage.claimScheduledRun(name, slot), false);
      assert.equal(await storage.claimScheduledRun(name, nextSlot), true, 'the next slot');
      assert.equal(await storage.claimScheduledRun(`${name}-other`, slot), true, 'another schedule');
    });
  });
}
