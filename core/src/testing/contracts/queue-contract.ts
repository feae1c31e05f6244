import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'mocha';
import type { BatchProcessor, QueueProvider } from '../../providers/queue.js';
import type { GroupedEvent } from '../../providers/storage.js';
import { deferred, eventually, settled } from './eventually.js';
import { groupedEvent, newFingerprint } from './storage/storage-fixtures.js';

export interface QueueContractOptions {
  /**
   * When `enqueue` resolves: 'after-commit' (the processor committed the events; the in-process queue) or
   * 'when-persisted' (the queue holds them durably and a worker commits them later; a Redis queue).
   */
  resolves?: 'after-commit' | 'when-persisted';
}
/** Makes an unstarted queue that refuses more than `maxPending` waiting events. */
export type QueueFactory = (options: { maxPending: number }) => QueueProvider | Promise<QueueProvider>;

const events = (n: number): GroupedEvent[] => Array.from({ length: n }, () => groupedEvent(1, newFingerprint()));
const ids = (batch: GroupedEvent[]) => batch.map((e) => e.eventId);

/** A processor that records what it committed, and can hold commits or refuse batches. */
function recorder() {
  const committed: string[] = [];
  const seen = new Map<string, GroupedEvent>();
  let held: { promise: Promise<void>; resolve(): void } | null = null;
  let refuse: (batch: GroupedEvent[]) => boolean = () => false;
  let calls = 0;
  const processor: BatchProcessor = async (batch) => {
    calls++;
    for (const e of batch) seen.set(e.eventId, e);
    if (held) await held.promise;
    if (refuse(batch)) throw new Error('processor refused the batch');
    await new Promise((resolve) => setImmediate(resolve)); // the commit takes a moment
    committed.push(...ids(batch));
  };
  return {
    processor,
    committed,
    calls: () => calls,
    /** Holds every commit until `release()`. */
    hold() {
      held = deferred();
    },
    release() {
      held?.resolve();
      held = null;
    },
    refuseWhen(test: (batch: GroupedEvent[]) => boolean) {
      refuse = test;
    },
    countOf: (id: string) => committed.filter((c) => c === id).length,
    /** The event as the processor last got it. */
    seen: (id: string) => seen.get(id),
  };
}

/**
 * Registers mocha tests that any QueueProvider must pass: `queueContract((o) => myQueue(o))`.
 * Each case makes a new queue, gives it a processor, starts it and stops it.
 */
export function queueContract(factory: QueueFactory, options: QueueContractOptions = {}): void {
  const afterCommit = (options.resolves ?? 'after-commit') === 'after-commit';
  describe('queue contract', () => {
    let queue: QueueProvider | null = null;
    let current: ReturnType<typeof recorder> | null = null;
    async function started(maxPending = 10_000) {
      const record = recorder();
      current = record;
      queue = await factory({ maxPending });
      queue.consume(record.processor);
      await queue.start();
      return { queue, record };
    }
    afterEach(async () => {
      current?.release(); // a failed case may have left a commit held
      await queue?.stop();
      queue = null;
    });

    it('hands every enqueued event to the processor exactly once', async () => {
      const { queue, record } = await started();
      const requests = Array.from({ length: 20 }, (_, n) => events((n % 3) + 1));
      await Promise.all(
        requests.map(async (request) => {
          await queue.enqueue(request);
          if (afterCommit) for (const id of ids(request)) assert.equal(record.countOf(id), 1, 'resolved before its events were committed');
        }),
      );
      await queue.stop();
      for (const id of requests.flatMap(ids)) assert.equal(record.countOf(id), 1, `event ${id} committed ${record.countOf(id)} times`);
      assert.equal(queue.pending(), 0);
    });

    it('hands the processor each event as it was enqueued: every field, the payload bytes exact', async () => {
      const { queue, record } = await started();
      const request = [groupedEvent(7, newFingerprint(), { userKey: 'u-1', release: 'shop@1.2.0', environment: 'prod', level: 'fatal' })];
      request[0].payload = new TextEncoder().encode('{"message":"caf\u00e9 \u2713 \ud83d\udca5","extra":{"s":"\\u0000"}}');
      await queue.enqueue(request);
      await queue.stop();
      const got = record.seen(request[0].eventId);
      assert.ok(got, 'the processor never got the event');
      assert.deepEqual({ ...got, payload: [...got.payload] }, { ...request[0], payload: [...request[0].payload] });
    });

    if (afterCommit) {
      it('does not resolve an enqueue while its batch is being committed', async () => {
        const { queue, record } = await started();
        record.hold();
        const request = events(2);
        const enqueued = queue.enqueue(request);
        await eventually(() => record.calls() > 0, 'the processor to be called');
        assert.equal(await settled(enqueued), false, 'enqueue resolved before the commit ended');
        assert.equal(queue.pending(), 2);
        record.release();
        await enqueued;
        assert.deepEqual(record.committed, ids(request));
      });

      it('fails only the request the processor refuses, not the others that shared its batch', async () => {
        const { queue, record } = await started();
        const poison = events(1);
        record.refuseWhen((batch) => batch.some((e) => e.eventId === poison[0].eventId));
        const good = [events(2), events(1)];
        const results = await Promise.allSettled([queue.enqueue(good[0]), queue.enqueue(poison), queue.enqueue(good[1])]);
        assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
        for (const id of good.flat().map((e) => e.eventId)) assert.equal(record.countOf(id), 1);
        assert.equal(record.countOf(poison[0].eventId), 0);
      });
    }

    it('retries a batch whose commit failed, or rejects its enqueue: never resolves it uncommitted', async () => {
      const { queue, record } = await started();
      let failures = 0;
      record.refuseWhen(() => failures++ === 0);
      const requests = [events(2), events(1), events(3)];
      const results = await Promise.allSettled(requests.map((r) => queue.enqueue(r)));
      await queue.stop();
      results.forEach((result, n) => {
        const counts = ids(requests[n]).map(record.countOf);
        if (result.status === 'fulfilled') assert.deepEqual(counts, counts.map(() => 1), 'resolved, so committed once');
        else assert.ok(counts.every((c) => c <= 1), 'committed at most once');
      });
      assert.ok(failures > 1, 'the processor was called again after the failure');
    });

    it('stop() commits what is queued before it resolves, then refuses new work', async () => {
      const { queue, record } = await started();
      record.hold();
      const requests = [events(2), events(1), events(2)];
      const enqueued = [queue.enqueue(requests[0])];
      await eventually(() => record.calls() > 0, 'the processor to be called');
      enqueued.push(...requests.slice(1).map((r) => queue.enqueue(r))); // these wait behind the held commit
      const stopped = queue.stop();
      assert.equal(await settled(stopped), false, 'stop resolved while a commit was held');
      record.release();
      await stopped;
      await Promise.all(enqueued);
      for (const id of requests.flatMap(ids)) assert.equal(record.countOf(id), 1, `event ${id} was lost by stop()`);
      assert.equal(queue.pending(), 0);
      await assert.rejects(queue.enqueue(events(1)), { code: 'FAULTLINE_ERR_STOPPING' });
    });

    it('refuses events beyond its limit with FAULTLINE_ERR_INGEST_OVERLOADED and takes them again once drained', async () => {
      const { queue, record } = await started(5);
      record.hold();
      const accepted = [queue.enqueue(events(3)), queue.enqueue(events(2))];
      await eventually(() => record.calls() > 0, 'the processor to be called');
      await assert.rejects(queue.enqueue(events(1)), { code: 'FAULTLINE_ERR_INGEST_OVERLOADED' });
      record.release();
      await Promise.all(accepted);
      await eventually(() => queue.pending() === 0, 'the queue to drain');
      await queue.enqueue(events(1));
    });
  });
}
