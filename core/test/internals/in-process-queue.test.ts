import { expect } from 'chai';
import { FaultlineError } from '../../src/errors.js';
import type { GroupedEvent } from '../../src/providers/storage.js';
import { InProcessQueue } from '../../src/queue/in-process-queue.js';

const event = (n: number): GroupedEvent => ({
  projectId: 1,
  eventId: n.toString(16).padStart(32, '0'),
  receivedAt: new Date(0).toISOString(),
  timestamp: new Date(0).toISOString(),
  level: 'error',
  platform: 'x',
  release: null,
  environment: null,
  fingerprint: 'f',
  groupingVersion: 'test',
  userKey: null,
  meta: { title: 't', culprit: '', type: 'E', value: '' },
  payload: new TextEncoder().encode('{}'),
});

function deferred() {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A one-batch-at-a-time queue whose first commit waits for `firstCommit.resolve()`; records batch sizes. */
async function queueHoldingFirstCommit(maxWaitMs: number) {
  const firstCommit = deferred();
  const batches: number[] = [];
  const queue = new InProcessQueue({ maxSize: 1000, maxWaitMs, maxPending: 10_000, concurrency: 1 });
  queue.consume(async (batch) => {
    batches.push(batch.length);
    if (batches.length === 1) await firstCommit.promise;
  });
  await queue.start();
  return { queue, batches, firstCommit };
}

describe('in-process queue (group commit)', () => {
  it('collects concurrent requests into one batch and resolves each after the commit', async () => {
    const batches: number[] = [];
    const queue = new InProcessQueue({ maxSize: 100, maxWaitMs: 5, maxPending: 1000, concurrency: 1 });
    queue.consume(async (batch) => void batches.push(batch.length));
    await queue.start();
    await Promise.all([queue.enqueue([event(1), event(2)]), queue.enqueue([event(3)]), queue.enqueue([event(4)])]);
    expect(batches).to.deep.equal([4]);
  });

  it('does not resolve before the processor commits', async () => {
    const commit = deferred();
    const queue = new InProcessQueue({ maxSize: 1, maxWaitMs: 1, maxPending: 10, concurrency: 1 });
    queue.consume(() => commit.promise);
    await queue.start();
    let done = false;
    const p = queue.enqueue([event(1)]).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).to.equal(false);
    commit.resolve();
    await p;
    expect(done).to.equal(true);
  });

  it('sends what arrived during a commit as the next batch at once', async () => {
    const { queue, batches, firstCommit } = await queueHoldingFirstCommit(1);
    const a = queue.enqueue([event(1)]);
    await new Promise((r) => setTimeout(r, 10));
    const rest = [queue.enqueue([event(2)]), queue.enqueue([event(3), event(4)])];
    firstCommit.resolve();
    await Promise.all([a, ...rest]);
    expect(batches).to.deep.equal([1, 3]);
  });

  it('does not start a batch just because a commit ended: events that arrived a moment ago wait to fill it', async () => {
    const { queue, batches, firstCommit } = await queueHoldingFirstCommit(200);
    const a = queue.enqueue([event(1)]);
    await new Promise((r) => setTimeout(r, 210)); // the first batch is committing
    const b = queue.enqueue([event(2)]);
    firstCommit.resolve(); // its commit ends while event 2 is young: event 2 waits for company
    await new Promise((r) => setTimeout(r, 20));
    const c = queue.enqueue([event(3)]);
    await Promise.all([a, b, c]);
    expect(batches).to.deep.equal([1, 2]);
  });

  it('retries requests one by one when their shared batch fails, so one bad request fails alone', async () => {
    const queue = new InProcessQueue({ maxSize: 100, maxWaitMs: 5, maxPending: 1000, concurrency: 1 });
    queue.consume(async (batch) => {
      if (batch.some((e) => e.eventId.endsWith('bad'))) throw new Error('refused');
    });
    await queue.start();
    const bad = event(0xbad);
    const results = await Promise.allSettled([queue.enqueue([event(1)]), queue.enqueue([bad]), queue.enqueue([event(2)])]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('answers 503 when full, and refuses work after stop() once drained', async () => {
    const commit = deferred();
    const queue = new InProcessQueue({ maxSize: 10, maxWaitMs: 1, maxPending: 3, concurrency: 1 });
    let processed = 0;
    queue.consume(async (batch) => {
      await commit.promise;
      processed += batch.length;
    });
    await queue.start();
    const accepted = queue.enqueue([event(1), event(2), event(3)]);
    try {
      await queue.enqueue([event(4)]);
      expect.fail('should be full');
    } catch (err) {
      expect((err as FaultlineError).code).to.equal('FAULTLINE_ERR_INGEST_OVERLOADED');
      expect((err as FaultlineError).retryAfter).to.be.greaterThan(0);
    }
    const stopped = queue.stop();
    commit.resolve();
    await Promise.all([accepted, stopped]);
    expect(processed).to.equal(3);
    expect(queue.pending()).to.equal(0);
    try {
      await queue.enqueue([event(5)]);
      expect.fail('should refuse');
    } catch (err) {
      expect((err as FaultlineError).status).to.equal(503);
    }
  });
});
