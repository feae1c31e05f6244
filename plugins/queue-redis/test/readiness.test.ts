import { expect } from 'chai';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import { startNode, type Node } from './helpers/nodes.js';
import { clearPrefix, testPrefix } from './helpers/redis.js';
import { startOwnRedis, type OwnRedis } from './helpers/redis-server.js';

describe('queue-redis: /readyz names Redis when it is down', function () {
  this.timeout(30_000);
  let database: TestDatabase;
  let redis: OwnRedis;
  let node: Node;
  let prefix: string;
  before(async () => {
    prefix = testPrefix();
    database = await createTestDatabase();
    redis = await startOwnRedis();
    node = await startNode(database.url, { url: redis.url, prefix }, { processEvents: false });
  });
  after(async () => {
    await node?.stop();
    await redis?.remove();
    await database?.drop();
    await clearPrefix(prefix);
  });

  const readyz = async () => {
    const res = await fetch(`${node.url}/readyz`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as any };
  };

  it('answers 503 with the queue down while Redis is away, and ready again once it is back', async () => {
    expect(await readyz()).to.deep.include({ status: 200 });
    await redis.kill();
    const down = await readyz();
    expect(down.status).to.equal(503);
    expect(down.retryAfter).to.equal('5');
    expect(down.body.checks.storage).to.equal('ok');
    expect(down.body.checks.queue).to.match(/^down: Redis does not answer/);
    await redis.restart();
    for (;;) {
      const again = await readyz();
      if (again.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
