import { expect } from 'chai';
import { backoffDelay, retryAfterMs } from '../src/shared/backoff.js';
import { createTransport } from '../src/transports/transport.js';
import { FakeClock, settle } from './helpers/fake-clock.js';
import { makeEvent, memoryStore, scriptedSender } from './helpers/events.js';
import type { SendResult } from '../src/transports/types.js';

describe('transport: batching', () => {
  it('waits batchDelay for a batch to fill, then sends one request', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 1000 });
    tr.add(makeEvent());
    tr.add(makeEvent());
    await clock.tick(999);
    expect(server.calls()).to.equal(0);
    await clock.tick(1);
    expect(server.bodies).to.have.length(1);
    expect(server.bodies[0].events).to.have.length(2);
    expect(tr.stats()).to.deep.equal({ queued: 0, dropped: 0 });
  });

  it('sends at once when a batch is full, and splits by count', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchSize: 3 });
    for (let i = 0; i < 7; i++) tr.add(makeEvent());
    await clock.tick(0);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([3, 3]);
    await clock.tick(1000);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([3, 3, 1]);
  });

  it('splits by bytes, but always sends at least one event', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, maxBytes: 300 });
    tr.add(makeEvent('x'.repeat(200)));
    tr.add(makeEvent('y'.repeat(200)));
    tr.add(makeEvent('z'.repeat(500)));
    const done = tr.flush(10_000);
    await clock.tick(0);
    expect(await done).to.equal(true);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([1, 1, 1]);
  });

  it('halves the batch on 413 and drops a single event that is still too large', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 413 }, { status: 202 }, { status: 202 }, { status: 413 });
    const tr = createTransport({ send: server.send, timers: clock, batchSize: 4 });
    for (let i = 0; i < 4; i++) tr.add(makeEvent());
    await clock.tick(0);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([4, 2, 2]);
    tr.add(makeEvent());
    await clock.tick(1000);
    expect(tr.stats()).to.deep.equal({ queued: 0, dropped: 1 });
  });
});

describe('transport: retries and rate limits', () => {
  it('backs off exponentially with jitter on 5xx, then succeeds with the same event ids', async () => {
    const clock = new FakeClock();
    clock.randomValue = 0;
    const server = scriptedSender({ status: 500 }, { status: 502 }, { status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 0 });
    const e = makeEvent();
    tr.add(e);
    await clock.tick(0);
    expect(server.calls()).to.equal(1);
    expect(clock.pending()).to.deep.equal([backoffDelay(1, 0)]);
    await clock.tick(backoffDelay(1, 0));
    expect(server.calls()).to.equal(2);
    expect(clock.pending()).to.deep.equal([backoffDelay(2, 0)]);
    await clock.tick(backoffDelay(2, 0));
    expect(server.calls()).to.equal(3);
    expect(server.ids()).to.deep.equal([e.event_id, e.event_id, e.event_id]);
    expect(tr.stats()).to.deep.equal({ queued: 0, dropped: 0 });
  });

  it('computes backoff as equal jitter over a capped exponential step', () => {
    expect(backoffDelay(1, 0)).to.equal(500);
    expect(backoffDelay(1, 1)).to.equal(1000);
    expect(backoffDelay(3, 0.5)).to.equal(3000);
    expect(backoffDelay(30, 1)).to.equal(300_000);
  });

  it('keeps a batch through any number of 5xx until it is older than maxAge, then drops and reports it', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 0, retryBase: 10, maxAge: 3_600_000 });
    tr.add(makeEvent());
    await clock.tick(60_000);
    // ten server errors did not drop it; the eleventh answer takes it
    expect(server.ids()).to.have.length(11);
    expect(tr.stats()).to.deep.equal({ queued: 0, dropped: 0 });

    const down = scriptedSender({ status: 503 });
    const old = createTransport({ send: down.send, timers: clock, batchDelay: 0, retryBase: 10, maxAge: 3_600_000 });
    old.add(makeEvent());
    await clock.tick(3_600_000 + 5 * 60_000);
    expect(old.stats()).to.deep.equal({ queued: 0, dropped: 1 });
    const up = scriptedSender({ status: 202 });
    const next = createTransport({ send: up.send, timers: clock, batchDelay: 0 });
    next.add(makeEvent());
    await clock.tick(0);
    expect((up.bodies[0] as { discarded?: unknown }).discarded).to.deep.equal({});
  });

  it('reports what it dropped with the next request, once', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 0, maxQueue: 1 });
    tr.add(makeEvent());
    tr.add(makeEvent());
    tr.add(makeEvent());
    await clock.tick(0);
    tr.add(makeEvent());
    await clock.tick(0);
    const bodies = server.bodies as Array<{ discarded?: unknown }>;
    expect(bodies[0].discarded).to.deep.equal({ queue_overflow: 2 });
    expect(bodies[1].discarded).to.deep.equal({});
  });

  it('splits a batch that a 429 says does not fit, and sends what fits at once', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 429, retryAfter: '60', remaining: '2' }, { status: 202 }, { status: 429, retryAfter: '60', remaining: '0' }, { status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 0 });
    for (let i = 0; i < 5; i++) tr.add(makeEvent());
    await clock.tick(0);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([5, 2, 2]);
    await clock.tick(59_999);
    expect(server.calls()).to.equal(3);
    await clock.tick(1);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([5, 2, 2, 2, 1]);
  });

  it('holds back for Retry-After on 429 and 503', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 429, retryAfter: '30' }, { status: 503, retryAfter: '5' }, { status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 0 });
    tr.add(makeEvent());
    await clock.tick(0);
    expect(server.calls()).to.equal(1);
    // events added meanwhile wait too
    tr.add(makeEvent());
    await clock.tick(29_999);
    expect(server.calls()).to.equal(1);
    await clock.tick(1);
    expect(server.calls()).to.equal(2);
    await clock.tick(4_999);
    expect(server.calls()).to.equal(2);
    await clock.tick(1);
    expect(server.calls()).to.equal(3);
    expect(server.bodies[2].events).to.have.length(2);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('120', 0)).to.equal(120_000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).to.equal(60_000);
    expect(retryAfterMs('soon', 0)).to.equal(undefined);
    expect(retryAfterMs(null, 0)).to.equal(undefined);
  });

  it('drops what the server refuses for good (400, 401) and counts it', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 401 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 0 });
    tr.add(makeEvent());
    tr.add(makeEvent());
    await clock.tick(0);
    await clock.tick(60_000);
    expect(server.calls()).to.equal(1);
    expect(tr.stats()).to.deep.equal({ queued: 0, dropped: 2 });
  });
});

describe('transport: offline and persistence', () => {
  it('keeps retrying network errors, persists the queue, and sends at once when back online', async () => {
    const clock = new FakeClock();
    const store = memoryStore();
    const server = scriptedSender('network-error', 'network-error', 'network-error', { status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, store, batchDelay: 0 });
    const a = makeEvent();
    tr.add(a);
    await clock.tick(0);
    await clock.tick(backoffDelay(1, 0.5));
    expect(server.calls()).to.equal(2);
    expect(store.saved.map((e) => e.event_id)).to.deep.equal([a.event_id]);
    expect(tr.stats().queued).to.equal(1);
    tr.online();
    await clock.tick(0);
    expect(server.calls()).to.equal(3);
    tr.online();
    await clock.tick(0);
    expect(server.calls()).to.equal(4);
    expect(server.ids()).to.deep.equal([a.event_id]);
    expect(store.saved).to.deep.equal([]);
    expect(tr.stats()).to.deep.equal({ queued: 0, dropped: 0 });
  });

  it('sends what an earlier run left in the store, without duplicating what it already has', async () => {
    const clock = new FakeClock();
    const old1 = makeEvent();
    const old2 = makeEvent();
    const store = memoryStore([old1, old2]);
    const server = scriptedSender({ status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, store, batchDelay: 0 });
    tr.add(old2); // the same event_id again
    await clock.tick(0);
    await clock.tick(1000);
    expect(server.ids().sort()).to.deep.equal([old1.event_id, old2.event_id].sort());
    expect(store.saved).to.deep.equal([]);
  });

  it('bounds the queue: drops the oldest and counts them', async () => {
    const clock = new FakeClock();
    const store = memoryStore();
    const server = scriptedSender('network-error');
    const tr = createTransport({ send: server.send, timers: clock, store, maxQueue: 3 });
    const events = [1, 2, 3, 4, 5].map(() => makeEvent());
    for (const e of events) tr.add(e);
    await settle();
    expect(tr.stats()).to.deep.equal({ queued: 3, dropped: 2 });
    expect(store.saved.map((e) => e.event_id)).to.deep.equal(events.slice(2).map((e) => e.event_id));
  });

  /** The scripted server for regular requests; beacons are recorded and answered `beaconAnswer`. */
  function withBeacon(server: ReturnType<typeof scriptedSender>, beaconAnswer: SendResult | 'network-error' = { status: 202 }) {
    const beaconed: string[] = [];
    const send = (body: string, beacon?: boolean): Promise<SendResult> => {
      if (!beacon) return server.send(body);
      beaconed.push(body);
      return beaconAnswer === 'network-error' ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve(beaconAnswer);
    };
    return { send, beaconed };
  }

  it('persists, then beacons on hide, and keeps the events until a request confirms them', async () => {
    const clock = new FakeClock();
    const store = memoryStore();
    const server = scriptedSender({ status: 202 });
    const { send, beaconed } = withBeacon(server);
    const tr = createTransport({ send, store, timers: clock, beacon: true });
    await settle();
    const events = [makeEvent(), makeEvent()];
    for (const e of events) tr.add(e);
    tr.hide();
    await settle();
    expect(JSON.parse(beaconed[0]).events).to.have.length(2);
    expect(store.saved.map((e) => e.event_id)).to.deep.equal(events.map((e) => e.event_id));
    expect(tr.stats().queued).to.equal(2);
    await clock.tick(5000);
    expect(server.ids()).to.deep.equal(events.map((e) => e.event_id));
    expect(store.saved).to.deep.equal([]);
  });

  it('does not beacon while a rate limit or backoff holds', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 429, retryAfter: '60' }, { status: 202 });
    const { send, beaconed } = withBeacon(server);
    const tr = createTransport({ send, timers: clock, batchDelay: 0, beacon: true });
    tr.add(makeEvent());
    await clock.tick(0);
    tr.hide();
    await settle();
    expect(beaconed).to.deep.equal([]);
    await clock.tick(60_000);
    expect(server.calls()).to.equal(2);
    tr.add(makeEvent());
    tr.hide();
    await settle();
    expect(beaconed).to.have.length(1);
  });

  it('keeps the queue when the beacon fails, and never throws into the page', async () => {
    const store = memoryStore();
    const { send } = withBeacon(scriptedSender('network-error'), 'network-error');
    const tr = createTransport({ send, store, timers: new FakeClock(), beacon: true });
    tr.add(makeEvent());
    expect(() => tr.hide()).not.to.throw();
    await settle();
    expect(tr.stats().queued).to.equal(1);
    expect(store.saved).to.have.length(1);
  });
});

describe('transport: flush', () => {
  it('sends at once and resolves true when the queue is empty', async () => {
    const clock = new FakeClock();
    const server = scriptedSender({ status: 202 });
    const tr = createTransport({ send: server.send, timers: clock, batchDelay: 60_000, batchSize: 2 });
    for (let i = 0; i < 5; i++) tr.add(makeEvent());
    const done = tr.flush(1000);
    await clock.tick(0);
    expect(await done).to.equal(true);
    expect(server.bodies.map((b) => b.events.length)).to.deep.equal([2, 2, 1]);
  });

  it('resolves false after its timeout while the server is down', async () => {
    const clock = new FakeClock();
    const tr = createTransport({ send: scriptedSender({ status: 500 }).send, timers: clock });
    tr.add(makeEvent());
    const done = tr.flush(1000);
    await clock.tick(1000);
    expect(await done).to.equal(false);
  });

  it('resolves true at once with nothing queued', async () => {
    const tr = createTransport({ send: scriptedSender().send, timers: new FakeClock() });
    expect(await tr.flush(10)).to.equal(true);
  });

  it('never throws into the caller when the sender throws synchronously', async () => {
    const clock = new FakeClock();
    const tr = createTransport({
      send: () => {
        throw new Error('sync');
      },
      timers: clock,
    });
    tr.add(makeEvent());
    await clock.tick(2000);
    expect(tr.stats().queued).to.equal(1);
  });
});
