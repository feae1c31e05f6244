import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { RedisRateLimiter } from '../src/index.js';
import { errorEvent, postEvents } from './helpers/events.js';
import { createProject, startNode, type Node } from './helpers/nodes.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';

describe('queue-redis: rate limits on Redis', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(async () => {
    prefix = testPrefix();
    redis = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false });
    await redis.connect();
  });
  afterEach(async () => {
    redis.disconnect();
    await clearPrefix(prefix);
  });

  it('counts a key across limiters that share a prefix, and apart under another prefix', async () => {
    const a = new RedisRateLimiter(redis, `${prefix}:rate`);
    const b = new RedisRateLimiter(redis, `${prefix}:rate`);
    const other = new RedisRateLimiter(redis, `${prefix}:other`);
    expect(await a.consume('key:1', 3, 5)).to.deep.equal({ allowed: true, retryAfter: 0 });
    expect(await b.consume('key:1', 2, 5)).to.deep.equal({ allowed: true, retryAfter: 0 });
    const over = await a.consume('key:1', 1, 5);
    expect(over.allowed).to.equal(false);
    expect(over.retryAfter).to.be.within(1, 60);
    expect((await other.consume('key:1', 5, 5)).allowed).to.equal(true);
    expect((await a.consume('key:2', 5, 5)).allowed).to.equal(true);
  });

  it('charges nothing for a request refused whole, and says what is left, as the memory limiter does', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:rate`);
    expect((await limiter.consume('key:1', 2, 5)).allowed).to.equal(true);
    const refused = await limiter.consume('key:1', 10, 5);
    expect(refused).to.include({ allowed: false, remaining: 3 });
    expect((await limiter.consume('key:1', 3, 5)).allowed, 'the refused batch took nothing').to.equal(true);
  });

  it('keeps a separate count for each limit, as keys with their own limit need', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:rate`);
    expect((await limiter.consume('key:1', 2, 2)).allowed).to.equal(true);
    expect((await limiter.consume('key:1', 1, 2)).allowed).to.equal(false);
    expect((await limiter.consume('key:1', 1, 10)).allowed).to.equal(true);
  });

  it('falls back to a per-process count when Redis does not answer, instead of failing ingest', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    try {
      const limiter = new RedisRateLimiter(down, `${prefix}:rate`);
      expect((await limiter.consume('key:1', 2, 2)).allowed).to.equal(true);
      expect((await limiter.consume('key:1', 1, 2)).allowed).to.equal(false);
    } finally {
      down.disconnect();
    }
  });

  describe('two Faultline nodes on one database', () => {
    let database: TestDatabase;
    let nodes: Node[] = [];
    beforeEach(async () => {
      database = await createTestDatabase();
      nodes = [];
      nodes.push(await startNode(database.url, { prefix }, { rateLimitPerMinute: 4 }));
      nodes.push(await startNode(database.url, { prefix }, { rateLimitPerMinute: 4 }));
    });
    afterEach(async () => {
      for (const node of nodes) await node.stop();
      await database.drop();
    });

    it('share one limit per key: 429 with Retry-After on native ingest, X-Sentry-Rate-Limits on Sentry routes', async () => {
      const [one, two] = nodes;
      const project = await createProject(one.faultline, one.url);
      const other = await createProject(one.faultline, one.url, 'Other project');
      expect((await postEvents(one.url, project.publicKey, [errorEvent(), errorEvent()])).status).to.equal(202);
      expect((await postEvents(two.url, project.publicKey, [errorEvent(), errorEvent()])).status).to.equal(202);
      const native = await postEvents(two.url, project.publicKey, [errorEvent()]);
      expect(native.status).to.equal(429);
      expect(native.body.error.code).to.equal('FAULTLINE_ERR_INGEST_RATE_LIMITED');
      expect(Number(native.headers.get('retry-after'))).to.be.within(1, 60);

      const envelope = await fetch(`${one.url}/api/${project.id}/envelope/?sentry_key=${project.publicKey}`, {
        method: 'POST',
        body: '{}\n{"type":"event"}\n{"message":"over"}',
      });
      expect(envelope.status).to.equal(429);
      const retryAfter = Number(envelope.headers.get('retry-after'));
      expect(envelope.headers.get('x-sentry-rate-limits')).to.equal(`${retryAfter}:error;default;security:key`);

      // Another project's key has its own count on both nodes.
      expect((await postEvents(two.url, other.publicKey, [errorEvent(), errorEvent(), errorEvent(), errorEvent()])).status).to.equal(202);
    });
  });
});
