import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'mocha';
import { newHash, rejectionCode, type StorageContractContext } from './storage-fixtures.js';

const newKey = (projectId: number) => ({
  projectId,
  keyHash: newHash(),
  prefix: 'pk_test',
  label: 'contract',
  allowedOrigins: ['https://app.example'],
  rateLimitPerMinute: 60,
});

/** Projects, public keys and secret tokens. */
export function adminContract(t: StorageContractContext): void {
  describe('projects, keys and tokens', () => {
    it('creates projects, lists them by id and refuses a slug twice', async () => {
      const storage = t.storage();
      const slug = `p-${randomBytes(4).toString('hex')}`;
      const a = await storage.createProject({ name: 'A', slug });
      const b = await storage.createProject({ name: 'B', slug: `${slug}-b` });
      assert.ok(Number.isInteger(a.id) && b.id > a.id);
      assert.deepEqual(await storage.getProject(a.id), a);
      assert.equal(await storage.getProject(2_000_000_000), null);
      assert.deepEqual(await storage.listProjects({ ids: [b.id, a.id] }), [a, b]);
      assert.deepEqual((await storage.listProjects()).filter((p) => p.id === a.id || p.id === b.id), [a, b]);
      assert.equal(await rejectionCode(storage.createProject({ name: 'again', slug })), 'FAULTLINE_ERR_CONFLICT');
    });

    it('finds a live public key by its hash only, and no longer once revoked', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const input = newKey(projectId);
      const key = await storage.createPublicKey(input);
      assert.equal(key.projectId, projectId);
      assert.deepEqual(key.allowedOrigins, ['https://app.example']);
      assert.equal(key.rateLimitPerMinute, 60);
      assert.equal('keyHash' in key, false, 'a key record never carries its hash');
      assert.deepEqual(await storage.findPublicKey(input.keyHash), key);
      assert.deepEqual(await storage.listPublicKeys(projectId), [key]);

      const otherProject = await t.newProject();
      assert.equal(await storage.revokePublicKey(otherProject, key.id), false, 'a key of another project');
      assert.equal(await storage.revokePublicKey(projectId, key.id), true);
      assert.equal(await storage.revokePublicKey(projectId, key.id), true, 'revoking twice still names the key');
      assert.equal(await storage.findPublicKey(input.keyHash), null);
      assert.deepEqual(await storage.listPublicKeys(projectId), []);
      assert.equal(await rejectionCode(storage.createPublicKey(input)), 'FAULTLINE_ERR_CONFLICT');
    });

    it('finds a live token by its hash, lists it, and refuses an unknown role', async () => {
      const storage = t.storage();
      const projectId = await t.newProject();
      const tokenHash = newHash();
      const token = await storage.createToken({ tokenHash, prefix: 'st_test', label: 'contract', role: 'member', projectIds: [projectId] });
      assert.deepEqual(token.projectIds, [projectId]);
      assert.equal(token.role, 'member');
      assert.deepEqual(await storage.findToken(tokenHash), token);
      assert.ok((await storage.listTokens()).some((x) => x.id === token.id));
      assert.equal(await storage.revokeToken(token.id), true);
      assert.equal(await storage.findToken(tokenHash), null);
      assert.equal((await storage.listTokens()).some((x) => x.id === token.id), false);
      assert.equal(await storage.revokeToken(2_000_000_000), false);
      const bad = storage.createToken({ tokenHash: newHash(), prefix: 'st', label: 'x', role: 'owner' as never, projectIds: null });
      assert.equal(await rejectionCode(bad), 'FAULTLINE_ERR_REQUEST_INVALID');
    });
  });
}
