import { Redis } from 'ioredis';
import { pino } from 'pino';
import { jobsContract, pubsubContract, queueContract } from '@faultline/core/testing';
import { RedisJobs, RedisPubSub } from '../src/index.js';
import { testQueue } from './helpers/grouped.js';
import { clearPrefix, REDIS_URL, testPrefix } from './helpers/redis.js';

/** Core's contract suites, run against this plugin's providers, each case under a key prefix of its own. */
describe('queue-redis: core contracts', function () {
  this.timeout(30_000);
  const prefixes: string[] = [];
  const connections: Redis[] = [];
  const log = pino({ level: process.env.FAULTLINE_TEST_LOG_LEVEL ?? 'silent' });
  const fresh = () => {
    const prefix = testPrefix();
    prefixes.push(prefix);
    return prefix;
  };
  const connect = (offlineQueue: boolean) => {
    const c = new Redis(REDIS_URL, { enableOfflineQueue: offlineQueue });
    connections.push(c);
    return c;
  };
  after(async () => {
    for (const c of connections) c.disconnect();
    for (const p of prefixes) await clearPrefix(p);
  });

  queueContract(({ maxPending }) => testQueue(fresh(), { queue: { maxDepth: maxPending } }), { resolves: 'when-persisted' });

  pubsubContract(() => {
    const prefix = fresh();
    return new RedisPubSub(connect(true), connect(true), `${prefix}:pubsub`, log);
  });

  // The suite's instances of one case share state through env.claim: here, one key prefix.
  const prefixOfCase = new WeakMap<object, string>();
  jobsContract((env) => {
    let prefix = prefixOfCase.get(env.claim);
    if (!prefix) prefixOfCase.set(env.claim, (prefix = fresh()));
    return new RedisJobs({ url: REDIS_URL, prefix: `${prefix}:bq`, claimPrefix: `${prefix}:schedule`, commands: connect(true), runsJobs: true, concurrency: 4, log });
  }, 'redis');
});
