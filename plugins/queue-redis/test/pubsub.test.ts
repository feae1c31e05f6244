import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createTestDatabase, type TestDatabase } from '@faultline/plugin-storage-postgres/testing';
import type { PubSubMessages } from '@faultline/core';
import { errorEvent, postEvents } from './helpers/events.js';
import { createProject, startNode, type Node } from './helpers/nodes.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';

/** Resolves with the first `count` messages a handler receives. */
function collect<T>(count: number, subscribe: (handler: (m: T) => void) => void): Promise<T[]> {
  return new Promise((resolve) => {
    const seen: T[] = [];
    subscribe((m) => {
      seen.push(m);
      if (seen.length === count) resolve(seen);
    });
  });
}

async function clientNames(): Promise<string[]> {
  const redis = new Redis(REDIS_URL);
  try {
    const list = (await redis.client('LIST')) as string;
    return list.split('\n').map((line) => /\bname=(\S*)/.exec(line)?.[1] ?? '').filter(Boolean);
  } finally {
    redis.disconnect();
  }
}

/** Waits until Redis counts `n` subscribers on a channel, so a publish from another connection reaches them. */
async function subscribed(channel: string, n: number): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    for (;;) {
      const [, count] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      if (Number(count) >= n) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    redis.disconnect();
  }
}

describe('queue-redis: pubsub on Redis', () => {
  let database: TestDatabase;
  let prefix: string;
  let nodes: Node[];
  beforeEach(async () => {
    prefix = testPrefix();
    database = await createTestDatabase();
    nodes = [await startNode(database.url, { prefix }), await startNode(database.url, { prefix })];
  });
  afterEach(async () => {
    for (const node of nodes) await node.stop();
    await database.drop();
    await clearPrefix(prefix);
  });

  it('delivers what one node publishes to the subscribers of both nodes, as JSON', async () => {
    const [one, two] = nodes;
    const project = await createProject(one.faultline, one.url);
    const onTwo = collect<PubSubMessages['issue:created']>(1, (h) => two.faultline.pubsub.subscribe('issue:created', h));
    const storedOnTwo = collect<PubSubMessages['event:stored']>(1, (h) => two.faultline.pubsub.subscribe('event:stored', h));
    const storedOnOne = collect<PubSubMessages['event:stored']>(1, (h) => one.faultline.pubsub.subscribe('event:stored', h));
    await subscribed(`${prefix}:pubsub:issue:created`, 1);
    await subscribed(`${prefix}:pubsub:event:stored`, 2);
    const posted = await postEvents(one.url, project.publicKey, [errorEvent('P')]);
    expect(posted.status).to.equal(202);
    const [created] = await onTwo;
    expect(created.issue.projectId).to.equal(project.id);
    expect(created.issue.type).to.equal('ScaleErrorP');
    expect(created.event.event_id).to.equal(posted.body.ids[0]);
    const [[a], [b]] = await Promise.all([storedOnOne, storedOnTwo]);
    expect(a).to.deep.equal(b);
    expect(a.events.map((e) => e.eventId)).to.deep.equal(posted.body.ids);
  });

  it('keeps prefixes apart, and a throwing subscriber does not stop the others', async () => {
    const [one, two] = nodes;
    const otherPrefix = testPrefix();
    const stranger = await startNode(database.url, { prefix: otherPrefix });
    try {
      let strangerSaw = 0;
      stranger.faultline.pubsub.subscribe('issue:updated', () => void strangerSaw++);
      two.faultline.pubsub.subscribe('issue:updated', () => {
        throw new Error('a broken subscriber');
      });
      const received = collect<PubSubMessages['issue:updated']>(2, (h) => two.faultline.pubsub.subscribe('issue:updated', h));
      await subscribed(`${prefix}:pubsub:issue:updated`, 1);
      await subscribed(`${otherPrefix}:pubsub:issue:updated`, 1);
      const issue = { id: 'i1', status: 'resolved' } as any;
      await one.faultline.pubsub.publish('issue:updated', { issue, previous: { ...issue, status: 'unresolved' } });
      await one.faultline.pubsub.publish('issue:updated', { issue: { ...issue, id: 'i2' }, previous: issue });
      const messages = await received;
      expect(messages.map((m) => m.issue.id)).to.deep.equal(['i1', 'i2']);
      // A round trip on the stranger's own channel proves it was listening while the others were sent.
      const own = collect<unknown>(1, (h) => stranger.faultline.pubsub.subscribe('issue:updated', h));
      await stranger.faultline.pubsub.publish('issue:updated', { issue, previous: issue });
      await own;
      expect(strangerSaw).to.equal(1);
    } finally {
      await stranger.stop();
      await clearPrefix(otherPrefix);
    }
  });

  it('stop() closes its Redis connections', async () => {
    expect((await clientNames()).filter((n) => n.startsWith(prefix))).to.have.length.greaterThan(0);
    for (const node of nodes) await node.stop();
    expect((await clientNames()).filter((n) => n.startsWith(prefix))).to.deep.equal([]);
  });
});
