import type BeeQueue from 'bee-queue';
import { FaultlineError, type QueueDeadLetter, type QueueDeadLetters } from '@faultline/core';
import { ingestJobEvents, type IngestJobData } from './ingest-job.js';

/**
 * The dead letters of the ingest queue are bee-queue's failed set (jobs are kept there on failure).
 * Replaying saves a copy of a job as a new job, with fresh retries, then removes the failed one: a crash
 * between the two leaves both, which is safe because storage drops events it already holds.
 */
export class BeeDeadLetters implements QueueDeadLetters {
  constructor(
    private readonly bee: () => BeeQueue<IngestJobData> | null,
    private readonly newJob: (data: IngestJobData) => BeeQueue.Job<IngestJobData>,
    private readonly requeued: (events: number) => Promise<void>,
  ) {}

  async list(limit: number): Promise<QueueDeadLetter[]> {
    const jobs = await this.queue().getJobs('failed', { size: limit });
    return jobs.slice(0, limit).map(describe);
  }

  async replay(ids?: string[]): Promise<number> {
    const queue = this.queue();
    const jobs = ids ? await Promise.all(ids.map((id) => queue.getJob(id))) : await queue.getJobs('failed', { size: 1_000_000 });
    let replayed = 0;
    for (const [i, job] of jobs.entries()) {
      if (!job) throw new FaultlineError('FAULTLINE_ERR_NOT_FOUND', `No dead letter ${ids?.[i]}`);
      if (job.status !== 'failed') throw new FaultlineError('FAULTLINE_ERR_CONFLICT', `Job ${job.id} is not a dead letter (it is ${job.status})`);
      await this.newJob(job.data).save();
      await queue.removeJob(job.id);
      await this.requeued(job.data.events ?? 0);
      replayed++;
    }
    return replayed;
  }

  private queue(): BeeQueue<IngestJobData> {
    const queue = this.bee();
    if (!queue) throw new FaultlineError('FAULTLINE_ERR_NOT_STARTED');
    return queue;
  }
}

function describe(job: BeeQueue.Job<IngestJobData>): QueueDeadLetter {
  const events = ingestJobEvents(job.data);
  const traces = (job.options?.stacktraces ?? []) as string[];
  return {
    id: job.id,
    projectIds: [...new Set(events.map((e) => e.projectId))],
    eventIds: events.map((e) => e.eventId),
    error: traces.length > 0 ? traces[0].split('\n')[0] : null,
  };
}
