/// <reference types="mocha" />
import { expect } from 'chai';
import { jobType, type JobContext, type JobsProvider, type ScheduleClaim } from '../providers/jobs.js';

/** What the suite hands the factory: the shared state two instances of the provider must agree through. */
export interface JobsContractEnv {
  /**
   * Schedule claims shared by every instance made in one test (in memory, like one database). A provider
   * with shared state of its own (Redis) may ignore it, as long as the instances one test makes share that.
   */
  claim: ScheduleClaim;
}

/**
 * The `jobs` contract, as mocha tests: `jobsContract((env) => new MyJobs({ claim: env.claim }), 'my jobs')`.
 * The factory makes a fresh, unstarted provider; the suite defines handlers, starts it and stops it.
 * Timings are short real waits (tens of milliseconds); the suite asserts what ran, in which order and how
 * often, and only lower bounds on waits (a retry never comes before its backoff, a delayed job before its
 * delay), so a slow machine makes it slower, not red. The scheduler test runs every-second cron slots on
 * two instances for about three seconds.
 */
export function jobsContract(factory: (env: JobsContractEnv) => JobsProvider | Promise<JobsProvider>, label = 'jobs provider'): void {
  describe(`jobs contract: ${label}`, function () {
    this.timeout(15_000);
    let made: JobsProvider[] = [];
    let claim: ScheduleClaim;

    beforeEach(function () {
      made = [];
      claim = sharedClaims();
    });

    afterEach(async function () {
      await Promise.all(made.map((jobs) => jobs.stop({ timeoutMs: 200 })));
    });

    async function make(): Promise<JobsProvider> {
      const jobs = await factory({ claim });
      made.push(jobs);
      return jobs;
    }

    it('runs a job once with a copy of its payload', async function () {
      const jobs = await make();
      const type = jobType<{ n: number; tags: string[] }>('contract:plain');
      const seen: unknown[] = [];
      const ran = signal();
      jobs.define(type, async (payload) => {
        seen.push(payload);
        ran.resolve();
      });
      await jobs.start();
      const payload = { n: 1, tags: ['a'] };
      const { created } = await jobs.enqueue(type, payload);
      payload.tags.push('changed after enqueue');
      await ran.promise;
      await settle();
      expect(created).to.equal(true);
      expect(seen).to.deep.equal([{ n: 1, tags: ['a'] }]);
      expect(await jobs.listDeadLetters()).to.deep.equal([]);
    });

    it('retries a failing handler with exponential backoff until it succeeds', async function () {
      const jobs = await make();
      const type = jobType<{ id: string }>('contract:flaky');
      const attempts: { attempt: number; at: number }[] = [];
      const succeeded = signal();
      jobs.define(type, async (_payload, ctx) => {
        attempts.push({ attempt: ctx.attempt, at: Date.now() });
        if (ctx.attempt < 3) throw new Error(`crash ${ctx.attempt}`);
        succeeded.resolve();
      });
      await jobs.start();
      await jobs.enqueue(type, { id: 'x' }, { attempts: 5, backoff: { initialMs: 40, factor: 2 } });
      await within(succeeded.promise, 3000, 'the job never succeeded: a crashed attempt was not retried');
      await settle();
      expect(attempts.map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
      // Lower bounds only (timers may fire a millisecond early): 40 ms, then 80 ms.
      expect(attempts[1].at - attempts[0].at).to.be.at.least(35);
      expect(attempts[2].at - attempts[1].at).to.be.at.least(75);
      expect(await jobs.listDeadLetters()).to.deep.equal([]);
    });

    it('dead-letters a job that exhausts its attempts, with the last error, and runs it no more', async function () {
      const jobs = await make();
      const type = jobType<{ to: string }>('contract:doomed');
      let runs = 0;
      jobs.define(type, async (_payload, ctx) => {
        runs += 1;
        throw new Error(`refused on attempt ${ctx.attempt}`);
      });
      await jobs.start();
      const { id } = await jobs.enqueue(type, { to: 'ops' }, { attempts: 3, backoff: { initialMs: 10 } });
      const [letter] = await waitFor(() => jobs.listDeadLetters(), (l) => l.length > 0, 'no dead letter after three failed attempts');
      expect(letter).to.include({ id, type: 'contract:doomed', attempts: 3, reason: 'attempts', error: 'refused on attempt 3' });
      expect(letter.payload).to.deep.equal({ to: 'ops' });
      await delay(100);
      expect(runs).to.equal(3);
    });

    it('dead-letters a job that passes its deadline however many attempts it has left', async function () {
      const jobs = await make();
      const type = jobType<null>('contract:late');
      jobs.define(type, async () => {
        throw new Error('still failing');
      });
      await jobs.start();
      await jobs.enqueue(type, null, { attempts: 1000, backoff: { initialMs: 20, factor: 1 }, deadlineMs: 200 });
      const [letter] = await waitFor(() => jobs.listDeadLetters(), (l) => l.length > 0, 'no dead letter after the deadline');
      expect(letter.reason).to.equal('deadline');
      expect(letter.attempts).to.be.within(1, 999);
    });

    it('aborts a running attempt at its deadline and dead-letters it', async function () {
      const jobs = await make();
      const type = jobType<null>('contract:hangs');
      const aborted = signal();
      jobs.define(type, (_payload, ctx: JobContext) => {
        ctx.signal.addEventListener('abort', () => aborted.resolve());
        return new Promise<void>(() => undefined); // never settles
      });
      await jobs.start();
      await jobs.enqueue(type, null, { deadlineMs: 100 });
      await within(aborted.promise, 3000, 'the running attempt was not aborted at its deadline');
      const [letter] = await waitFor(() => jobs.listDeadLetters(), (l) => l.length > 0, 'no dead letter for a hung job');
      expect(letter.reason).to.equal('deadline');
    });

    it('replays a dead letter: it runs again with fresh attempts and leaves the dead-letter list', async function () {
      const jobs = await make();
      const type = jobType<{ n: number }>('contract:replay');
      let healthy = false;
      const payloads: unknown[] = [];
      const replayed = signal();
      jobs.define(type, async (payload) => {
        if (!healthy) throw new Error('receiver down');
        payloads.push(payload);
        replayed.resolve();
      });
      await jobs.start();
      const { id } = await jobs.enqueue(type, { n: 7 }, { attempts: 1 });
      await waitFor(() => jobs.listDeadLetters(), (l) => l.length === 1, 'no dead letter');
      healthy = true;
      expect(await jobs.replayDeadLetter(id)).to.equal(true);
      await within(replayed.promise, 3000, 'the replayed job did not run');
      await settle();
      expect(payloads).to.deep.equal([{ n: 7 }]);
      expect(await jobs.listDeadLetters()).to.deep.equal([]);
      expect(await jobs.replayDeadLetter(id)).to.equal(false);
      expect(await jobs.replayDeadLetter('no-such-job')).to.equal(false);
    });

    it('runs a delayed job, not before its delay, after a job enqueued later without one', async function () {
      const jobs = await make();
      const type = jobType<string>('contract:delayed');
      const order: { name: string; at: number }[] = [];
      const both = signal();
      jobs.define(type, async (name) => {
        order.push({ name, at: Date.now() });
        if (order.length === 2) both.resolve();
      });
      await jobs.start();
      const enqueuedAt = Date.now();
      await jobs.enqueue(type, 'delayed', { delayMs: 150 });
      await jobs.enqueue(type, 'now');
      await within(both.promise, 3000, 'the delayed job never ran');
      expect(order.map((o) => o.name)).to.deep.equal(['now', 'delayed']);
      expect(order[1].at - enqueuedAt).to.be.at.least(145);
    });

    it('enqueues a job id once: a second enqueue with the same id adds nothing', async function () {
      const jobs = await make();
      const type = jobType<number>('contract:idempotent');
      let runs = 0;
      const release = signal();
      jobs.define(type, async () => {
        runs += 1;
        await release.promise;
      });
      await jobs.start();
      const first = await jobs.enqueue(type, 1, { id: 'delivery-42', delayMs: 50 });
      const second = await jobs.enqueue(type, 2, { id: 'delivery-42' });
      expect(first).to.deep.equal({ id: 'delivery-42', created: true });
      expect(second).to.deep.equal({ id: 'delivery-42', created: false });
      await waitFor(async () => runs, (n) => n > 0, 'the job never ran');
      release.resolve();
      await delay(100);
      expect(runs).to.equal(1);
    });

    it('fires each cron slot exactly once across two instances sharing the schedule claims', async function () {
      const a = await make();
      const b = await make();
      const type = jobType<{ report: string }>('contract:cron');
      const fired: { node: string; id: string; payload: unknown }[] = [];
      for (const [node, jobs] of [['a', a], ['b', b]] as const) {
        jobs.define(type, async (payload, ctx) => {
          fired.push({ node, id: ctx.id, payload });
        });
        jobs.schedule('contract-every-second', { cron: '* * * * * *', timezone: 'Europe/Berlin' }, type, { report: 'daily' });
      }
      await Promise.all([a.start(), b.start()]);
      await waitFor(async () => new Set(fired.map((f) => f.id)).size, (n) => n >= 3, 'fewer than three slots fired', 8000);
      await Promise.all([a.stop({ timeoutMs: 200 }), b.stop({ timeoutMs: 200 })]);
      const ids = fired.map((f) => f.id);
      expect(ids, 'a slot fired more than once').to.deep.equal([...new Set(ids)]);
      expect(fired.every((f) => (f.payload as { report: string }).report === 'daily')).to.equal(true);
    });

    it('stops within its timeout even when a handler never finishes, aborting it', async function () {
      const jobs = await make();
      const type = jobType<null>('contract:stuck');
      const started = signal();
      let aborted = false;
      jobs.define(type, (_payload, ctx) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
        });
        started.resolve();
        return new Promise<void>(() => undefined);
      });
      await jobs.start();
      await jobs.enqueue(type, null);
      await within(started.promise, 3000, 'the job never started');
      await within(jobs.stop({ timeoutMs: 100 }), 3000, 'stop() did not return while a handler hung');
      expect(aborted).to.equal(true);
    });
  });
}

function sharedClaims(): ScheduleClaim {
  const claimed = new Set<string>();
  return async (name, slot) => {
    await delay(Math.random() * 5); // two nodes race for a slot, as over a network
    const key = `${name} ${slot}`;
    if (claimed.has(key)) return false;
    claimed.add(key);
    return true;
  };
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Lets a provider finish the bookkeeping after a handler resolves. */
const settle = () => delay(20);

async function within<T>(promise: Promise<T>, ms: number, failure: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(failure)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, failure: string, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(failure);
    await delay(10);
  }
}
