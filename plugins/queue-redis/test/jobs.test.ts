import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { jobType, type JobContext } from '@faultline/core';
import { RedisJobs } from '../src/index.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';

async function until<T>(read: () => T | Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('queue-redis: jobs on bee-queue', function () {
  this.timeout(20_000);
  let prefix: string;
  let commands: Redis;
  let made: RedisJobs[];
  beforeEach(async () => {
    prefix = testPrefix();
    commands = new Redis(REDIS_URL);
    made = [];
  });
  afterEach(async () => {
    for (const jobs of made) await jobs.stop({ timeoutMs: 200 });
    commands.disconnect();
    await clearPrefix(prefix);
  });
  function make(runsJobs = true): RedisJobs {
    const jobs = new RedisJobs({
      url: REDIS_URL,
      prefix: `${prefix}:bq`,
      claimPrefix: `${prefix}:schedule`,
      commands,
      runsJobs,
      concurrency: 4,
      log: pino({ level: process.env.FAULTLINE_TEST_LOG_LEVEL ?? 'silent' }),
    });
    made.push(jobs);
    return jobs;
  }

  it('a job enqueued on one node runs once on another, with a copy of its payload', async () => {
    const enqueuer = make(false);
    const runner = make();
    const type = jobType<{ n: number; tags: string[] }>('test:plain');
    const seen: unknown[] = [];
    runner.define(type, async (payload) => void seen.push(payload));
    await enqueuer.start();
    await runner.start();
    const payload = { n: 1, tags: ['a'] };
    const { created } = await enqueuer.enqueue(type, payload);
    payload.tags.push('changed after enqueue');
    expect(created).to.equal(true);
    await until(() => seen.length, (n) => n === 1);
    expect(seen).to.deep.equal([{ n: 1, tags: ['a'] }]);
    expect(await runner.listDeadLetters()).to.deep.equal([]);
  });

  it('retries with exponential backoff, counting attempts, until the handler succeeds', async () => {
    const jobs = make();
    const type = jobType<null>('test:flaky');
    const attempts: { attempt: number; at: number }[] = [];
    jobs.define(type, async (_p, ctx) => {
      attempts.push({ attempt: ctx.attempt, at: Date.now() });
      if (ctx.attempt < 3) throw new Error(`crash ${ctx.attempt}`);
    });
    await jobs.start();
    await jobs.enqueue(type, null, { attempts: 5, backoff: { initialMs: 40, factor: 2 } });
    await until(() => attempts.length, (n) => n === 3);
    expect(attempts.map((a) => a.attempt)).to.deep.equal([1, 2, 3]);
    expect(attempts[1].at - attempts[0].at).to.be.at.least(35);
    expect(attempts[2].at - attempts[1].at).to.be.at.least(75);
    expect(await jobs.listDeadLetters()).to.deep.equal([]);
  });

  it('dead-letters a job that exhausts its attempts, with its last error, and replays it with fresh attempts', async () => {
    const jobs = make();
    const type = jobType<{ to: string }>('test:doomed');
    let healthy = false;
    let runs = 0;
    const delivered: unknown[] = [];
    jobs.define(type, async (payload, ctx) => {
      runs++;
      if (!healthy) throw new Error(`refused on attempt ${ctx.attempt}`);
      delivered.push(payload);
    });
    await jobs.start();
    const { id } = await jobs.enqueue(type, { to: 'ops' }, { attempts: 3, backoff: { initialMs: 10 } });
    const [letter] = await until(() => jobs.listDeadLetters(), (l) => l.length > 0);
    expect(letter).to.include({ id, type: 'test:doomed', attempts: 3, reason: 'attempts', error: 'refused on attempt 3' });
    expect(letter.payload).to.deep.equal({ to: 'ops' });
    expect(runs).to.equal(3);
    // The id stays taken while dead-lettered.
    expect(await jobs.enqueue(type, { to: 'ops' }, { id })).to.deep.equal({ id, created: false });

    healthy = true;
    expect(await jobs.replayDeadLetter(id)).to.equal(true);
    await until(() => delivered.length, (n) => n === 1);
    expect(await jobs.listDeadLetters()).to.deep.equal([]);
    expect(await jobs.replayDeadLetter(id)).to.equal(false);
    expect(await jobs.replayDeadLetter('no-such-job')).to.equal(false);
  });

  it('gives up at the deadline: no retry past it, and a hung attempt is aborted', async () => {
    const jobs = make();
    const failing = jobType<null>('test:late');
    const hangs = jobType<null>('test:hangs');
    let aborted = false;
    jobs.define(failing, async () => {
      throw new Error('still failing');
    });
    jobs.define(hangs, (_p, ctx: JobContext) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      return new Promise<void>(() => undefined);
    });
    await jobs.start();
    await jobs.enqueue(failing, null, { attempts: 1000, backoff: { initialMs: 20, factor: 1 }, deadlineMs: 200 });
    await jobs.enqueue(hangs, null, { deadlineMs: 100 });
    const letters = await until(() => jobs.listDeadLetters(), (l) => l.length === 2);
    expect(letters.map((l) => l.reason)).to.deep.equal(['deadline', 'deadline']);
    expect(letters.find((l) => l.type === 'test:late')!.attempts).to.be.within(1, 999);
    expect(aborted).to.equal(true);
  });

  it('runs a delayed job after one enqueued later without a delay, and an id only once', async () => {
    const jobs = make();
    const type = jobType<string>('test:delayed');
    const order: string[] = [];
    jobs.define(type, async (name) => void order.push(name));
    await jobs.start();
    const enqueuedAt = Date.now();
    expect(await jobs.enqueue(type, 'delayed', { delayMs: 150, id: 'once' })).to.deep.equal({ id: 'once', created: true });
    expect(await jobs.enqueue(type, 'duplicate', { id: 'once' })).to.deep.equal({ id: 'once', created: false });
    await jobs.enqueue(type, 'now');
    await until(() => order.length, (n) => n === 2);
    expect(order).to.deep.equal(['now', 'delayed']);
    expect(Date.now() - enqueuedAt).to.be.at.least(145);
  });

  it('fires each cron slot once across two nodes', async function () {
    this.timeout(30_000);
    const a = make();
    const b = make();
    const type = jobType<{ report: string }>('test:cron');
    const fired: { node: string; id: string }[] = [];
    for (const [node, jobs] of [['a', a], ['b', b]] as const) {
      jobs.define(type, async (_p, ctx) => void fired.push({ node, id: ctx.id }));
      jobs.schedule('every-second', { cron: '* * * * * *' }, type, { report: 'daily' });
    }
    await Promise.all([a.start(), b.start()]);
    await until(() => new Set(fired.map((f) => f.id)).size, (n) => n >= 3);
    await Promise.all([a.stop({ timeoutMs: 200 }), b.stop({ timeoutMs: 200 })]);
    const ids = fired.map((f) => f.id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(ids.every((id) => /^schedule:every-second:\d{4}-/.test(id))).to.equal(true);
  });
});
