import { expect } from 'chai';
import { FaultlineError } from '@faultline/core';
import { createHarness, type Harness } from './helpers.js';

describe('projects, keys and tokens', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('creates, lists and gets projects; a duplicate slug is a conflict', async () => {
    const a = await h.storage.createProject({ name: 'Web shop', slug: 'web-shop' });
    expect(a).to.include({ name: 'Web shop', slug: 'web-shop' });
    expect(await h.storage.getProject(a.id)).to.deep.equal(a);
    expect(await h.storage.getProject(987654)).to.equal(null);
    expect((await h.storage.listProjects()).map((p) => p.id)).to.include.members([h.projectId, a.id]);
    expect(await h.storage.listProjects({ ids: [a.id] })).to.deep.equal([a]);
    try {
      await h.storage.createProject({ name: 'Again', slug: 'web-shop' });
      expect.fail('should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(FaultlineError);
      expect((err as FaultlineError).code).to.equal('FAULTLINE_ERR_CONFLICT');
    }
  });

  it('finds public keys by hash until revoked; revocation is per project', async () => {
    const key = await h.storage.createPublicKey({
      projectId: h.projectId,
      keyHash: 'hash-of-key-1',
      prefix: 'flk_abc',
      label: 'browser',
      allowedOrigins: ['https://shop.example'],
      rateLimitPerMinute: 600,
    });
    expect(key).to.include({ projectId: h.projectId, prefix: 'flk_abc', rateLimitPerMinute: 600 });
    expect(key.allowedOrigins).to.deep.equal(['https://shop.example']);
    expect(await h.storage.findPublicKey('hash-of-key-1')).to.deep.equal(key);
    expect(await h.storage.findPublicKey('hash-of-another')).to.equal(null);
    expect(await h.storage.listPublicKeys(h.projectId)).to.deep.equal([key]);
    expect(JSON.stringify(key)).to.not.include('hash-of-key-1');

    const other = await h.storage.createProject({ name: 'Other', slug: 'other-keys' });
    expect(await h.storage.revokePublicKey(other.id, key.id)).to.equal(false);
    expect(await h.storage.findPublicKey('hash-of-key-1')).to.not.equal(null);
    expect(await h.storage.revokePublicKey(h.projectId, key.id)).to.equal(true);
    expect(await h.storage.findPublicKey('hash-of-key-1')).to.equal(null);
    expect(await h.storage.listPublicKeys(h.projectId)).to.deep.equal([]);
  });

  it('finds tokens by hash until revoked', async () => {
    const token = await h.storage.createToken({ tokenHash: 'hash-t1', prefix: 'flt_1', label: 'ci', role: 'member', projectIds: [h.projectId] });
    const admin = await h.storage.createToken({ tokenHash: 'hash-t2', prefix: 'flt_2', label: 'ops', role: 'admin', projectIds: null });
    expect(token).to.include({ role: 'member', label: 'ci' });
    expect(token.projectIds).to.deep.equal([h.projectId]);
    expect(await h.storage.findToken('hash-t2')).to.deep.equal(admin);
    expect((await h.storage.listTokens()).map((t) => t.id)).to.deep.equal([token.id, admin.id]);
    expect(await h.storage.revokeToken(token.id)).to.equal(true);
    expect(await h.storage.findToken('hash-t1')).to.equal(null);
    expect(await h.storage.revokeToken(999999)).to.equal(false);
    expect((await h.storage.listTokens()).map((t) => t.id)).to.deep.equal([admin.id]);
  });
});
