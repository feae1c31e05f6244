import type { IngestLimits } from '../config.js';
import { decompressBody } from '../wire/decompress-body.js';
import type { ProjectScrubbing } from '../providers/scrubbing.js';
import type { AcceptResult, IngestPipeline } from './accept-events.js';
import { decodeBody, type BodyInfo, type IngestJob, type JobResult } from './ingest-job.js';
import type { IngestThreads } from './ingest-threads.js';

/**
 * Admits a request once its body is decoded: the rate limit, which needs the number of events, and
 * what else the route counts from the body. Throws to refuse; nothing is enqueued then.
 */
export type Admit = (events: number, info: BodyInfo) => Promise<void>;

/** A project's scrubbing rules (scrub/project-scrubbing.ts); absent when core's scrubbing is off. */
export type ScrubbingOf = (projectId: number) => Promise<ProjectScrubbing>;

/**
 * Ingests one request body: decodes and prepares it in an ingest thread (which runs the plugins' ingest
 * modules) when there are threads and no plugin taps a per-event hook in-process (taps are functions of
 * this thread), else here, hooks and all; then admits and commits it. `route` is the metrics label.
 * The project's scrubbing rules travel with the job, so a thread never asks storage for them.
 */
export function createIngestRunner(pipeline: IngestPipeline, threads: IngestThreads | null, limits: IngestLimits, scrubbingOf?: ScrubbingOf) {
  async function prepare(job: IngestJob, admit: Admit): Promise<JobResult> {
    if (scrubbingOf) job = { ...job, scrubbing: await scrubbingOf(job.projectId) };
    if (threads && pipeline.threadable()) {
      if (!pipeline.searchFields()) job = { ...job, searchFields: false };
      const result = await threads.run(job);
      pipeline.reportThreadFailures(result.prepared);
      await admit(result.prepared.ids.length + result.prepared.rejected.length, result.info);
      return result;
    }
    const body = await decompressBody(job.body, job.encoding, limits.maxBodyBytes);
    const { events, pathOf, info, sent } = decodeBody(job.kind, body, limits, job.refuseEvents, job.sentryClient);
    await admit(events.length, info);
    const prepared = await pipeline.prepare({
      projectId: job.projectId,
      events,
      clientIp: job.clientIp,
      receivedAt: new Date(job.receivedAt),
      pathOf,
      sent,
      scrubbing: job.scrubbing,
    });
    return { info, prepared };
  }

  return async function runIngest(job: IngestJob, admit: Admit, route: string): Promise<{ info: BodyInfo; result: AcceptResult }> {
    const { info, prepared } = await prepare(job, admit);
    return { info, result: await pipeline.commit(prepared, route) };
  };
}

export type IngestRunner = ReturnType<typeof createIngestRunner>;
