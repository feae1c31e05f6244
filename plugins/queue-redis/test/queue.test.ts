import { expect } from 'chai';
import { isFaultlineError, type GroupedEvent } from '@faultline/core';
import type { RedisQueue } from '../src/index.js';
import { groupedEvent, testQueue } from './helpers/grouped.js';
import { clearPrefix, testPrefix } from './helpers/redis.js';
import { startOwnRedis } from './helpers/redis-server.js';

/** Resolves when `check` holds, polling; the test's own timeout bounds it. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('queue-redis: the ingest queue on bee-queue', () => {
  let prefix: string;
  let queues: RedisQueue[];
  beforeEach(() => {
    prefix = testPrefix();
    queues = [];
  });
  afterEach(async () => {
    for (const q of queues) await q.stop();
    await clearPrefix(prefix);
  });
  const make = (...args: Parameters<typeof testQueue> extends [string, ...infer R] ? R : never) => {
    const q = testQueue(prefix, ...args);
    queues.push(q);
    return q;
  };

  it('an ingest node writes one job per enqueue; a worker commits several jobs as one batch', async () => {
    const ingest = make();
    await ingest.start();
    const requests = Array.from({ length: 40 }, () => [groupedEvent(), groupedEvent()]);
    for (const events of requests) await ingest.enqueue(events);
    await until(() => ingest.pending() === 80); // events, not jobs

    const batches: GroupedEvent[][] = [];
    const worker = make({ batch: { maxWaitMs: 200 } });
    worker.consume(async (batch) => void batches.push(batch));
    await worker.start();
    await until(() => batches.flat().length === 80);
    expect(batches.length).to.be.lessThan(40);
    expect(batches.flat().map((e) => e.eventId).sort()).to.deep.equal(requests.flat().map((e) => e.eventId).sort());
    // Bytes and fields arrive as they were sent.
    const sent = requests[0][0];
    const got = batches.flat().find((e) => e.eventId === sent.eventId)!;
    expect({ ...got, payload: [...got.payload] }).to.deep.equal({ ...sent, payload: [...sent.payload] });
    await until(() => ingest.pending() === 0);
  });

  it('acknowledges a job only after its batch commits: a failed commit is retried, then goes to the dead letters', async () => {
    const ingest = make({ queue: { retries: 2 } });
    await ingest.start();
    const flaky = groupedEvent();
    const doomed = groupedEvent();
    await ingest.enqueue([flaky]);
    await ingest.enqueue([doomed]);
    const attempts = new Map<string, number>();
    const committed: string[] = [];
    const worker = make();
    worker.consume(async (batch) => {
      for (const e of batch) attempts.set(e.eventId, (attempts.get(e.eventId) ?? 0) + 1);
      if (batch.some((e) => e.eventId === doomed.eventId)) throw new Error('storage refuses this one');
      if (attempts.get(flaky.eventId) === 1) throw new Error('storage blinked');
      committed.push(...batch.map((e) => e.eventId));
    });
    await worker.start();
    await until(async () => (await worker.beeQueue()!.checkHealth()).failed === 1);
    expect(committed).to.deep.equal([flaky.eventId]);
    // First try, then 2 retries.
    const health = await worker.beeQueue()!.checkHealth();
    expect(health).to.include({ failed: 1, waiting: 0, active: 0, delayed: 0 });
    const [dead] = await worker.beeQueue()!.getJobs('failed', { start: 0, end: 10 });
    expect(dead.data.batch).to.be.a('string');
  });

  it('a worker that stops mid-batch leaves its jobs to another worker, which commits them', async () => {
    const ingest = make();
    await ingest.start();
    const events = Array.from({ length: 5 }, () => groupedEvent());
    for (const e of events) await ingest.enqueue([e]);

    let taken = 0;
    const stuck = testQueue(prefix, { queue: { stallIntervalMs: 300 } });
    stuck.consume(() => {
      taken++;
      return new Promise<void>(() => undefined); // never commits: the process "dies" holding it
    });
    await stuck.start();
    await until(() => taken > 0 && stuck.pending() === 5);
    // Close its connections without finishing, as a killed process would leave them.
    await stuck.beeQueue()!.close(1).catch(() => undefined);

    const committed: string[] = [];
    const rescuer = make({ queue: { stallIntervalMs: 300 } });
    rescuer.consume(async (batch) => void committed.push(...batch.map((e) => e.eventId)));
    await rescuer.start();
    await until(() => committed.length === 5);
    expect(committed.sort()).to.deep.equal(events.map((e) => e.eventId).sort());
  });

  it('lists dead letters with their events and last error, and replays them with fresh retries', async () => {
    const ingest = make({ queue: { retries: 0 } });
    await ingest.start();
    const events = [groupedEvent(), groupedEvent()];
    await ingest.enqueue(events);
    let healthy = false;
    const committed: string[] = [];
    const worker = make();
    worker.consume(async (batch) => {
      if (!healthy) throw new Error('relation "events" is on fire');
      committed.push(...batch.map((e) => e.eventId));
    });
    await worker.start();
    await until(async () => (await ingest.deadLetters.list(10)).length === 1);
    const [letter] = await ingest.deadLetters.list(10);
    expect(letter.eventIds).to.deep.equal(events.map((e) => e.eventId));
    expect(letter.projectIds).to.deep.equal([1]);
    expect(letter.error).to.include('relation "events" is on fire');

    healthy = true;
    expect(await ingest.deadLetters.replay([letter.id])).to.equal(1);
    await until(() => committed.length === 2);
    expect(committed).to.deep.equal(events.map((e) => e.eventId));
    expect(await ingest.deadLetters.list(10)).to.deep.equal([]);
    const missing = await rejection(ingest.deadLetters.replay(['no-such-job']));
    expect(missing.code).to.equal('FAULTLINE_ERR_NOT_FOUND');
  });

  it('answers 503 with Retry-After when the queue is deeper than its bound', async () => {
    const ingest = make({ queue: { maxDepth: 3 } });
    await ingest.start();
    for (let i = 0; i < 3; i++) await ingest.enqueue([groupedEvent()]);
    const err = await rejection(ingest.enqueue([groupedEvent()]));
    expect(isFaultlineError(err)).to.equal(true);
    expect(err.code).to.equal('FAULTLINE_ERR_INGEST_OVERLOADED');
    expect(err.status).to.equal(503);
    expect(err.retryAfter).to.be.greaterThan(0);
    expect(ingest.pending()).to.equal(3);
  });

  describe('with a Redis that goes away', () => {
    it('rejects with a coded 503 while Redis is down, and takes jobs again once it is back, losing none', async () => {
      const redis = await startOwnRedis();
      try {
        const ingest = make({ url: redis.url, queue: { enqueueTimeoutMs: 500 } });
        await ingest.start();
        const before = groupedEvent();
        await ingest.enqueue([before]);
        await redis.kill();
        const err = await rejection(ingest.enqueue([groupedEvent()]));
        expect(err.code).to.equal('FAULTLINE_ERR_UNAVAILABLE');
        expect(err.status).to.equal(503);
        expect(err.retryAfter).to.be.greaterThan(0);
        await redis.restart();
        const after = groupedEvent();
        await until(() => ingest.enqueue([after]).then(() => true, () => false));

        const committed: string[] = [];
        const worker = make({ url: redis.url });
        worker.consume(async (batch) => void committed.push(...batch.map((e) => e.eventId)));
        await worker.start();
        await until(() => committed.length >= 2);
        expect(committed).to.include.members([before.eventId, after.eventId]);
      } finally {
        for (const q of queues.splice(0)) await q.stop();
        await redis.remove();
      }
    });
  });
});
