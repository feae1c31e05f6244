import type { Redis } from 'ioredis';

// bee-queue's addJob (a new id from its counter, the job in its hash, the id on the waiting list) and the
// pending-events count in one script: one round trip per request, and the count rises with the job.
const ADD_INGEST_JOB = `
local jobId = "" .. redis.call("incr", KEYS[1])
redis.call("hset", KEYS[2], jobId, ARGV[1])
redis.call("lpush", KEYS[3], jobId)
redis.call("incrby", KEYS[4], ARGV[2])
return jobId`;

type WithAddIngestJob = Redis & { faultlineAddIngestJob(id: string, jobs: string, waiting: string, pending: string, job: Buffer, events: number): Promise<string> };

/**
 * Writes an ingest request's job as bee-queue's own `addJob` would (a worker takes it like any other
 * job), but from bytes over an ioredis connection in one script call. ioredis runs it with EVALSHA and
 * loads it again after a Redis restart (NOSCRIPT).
 */
export class IngestJobWriter {
  private readonly client: WithAddIngestJob;

  constructor(
    client: Redis,
    /** bee-queue's key prefix of the queue (`<prefix>:ingest:`). */
    private readonly queueKeyPrefix: string,
    /** The pending-events counter (see PendingEvents). */
    private readonly pendingKey: string,
  ) {
    client.defineCommand('faultlineAddIngestJob', { numberOfKeys: 4, lua: ADD_INGEST_JOB });
    this.client = client as WithAddIngestJob;
  }

  /** Resolves with the job's id once Redis holds the job. */
  add(job: Buffer, events: number): Promise<string> {
    const k = this.queueKeyPrefix;
    return this.client.faultlineAddIngestJob(`${k}id`, `${k}jobs`, `${k}waiting`, this.pendingKey, job, events);
  }
}
