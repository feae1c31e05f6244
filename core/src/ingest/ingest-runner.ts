import type { IngestLimits } from '../config.js';
import type { IngestPipeline } from './accept-events.js';
import { decompressBody } from '../http/decompress-body.js';
import { decodeJob, type BodyInfo, type IngestJob, type JobResult } from './ingest-job.js';
import type { IngestThreads } from './ingest-threads.js';

/**
 * Admits a request once its body is decoded: the rate limit, which needs the number of events, and
 * what else the route counts from the body. Throws to refuse; nothing is enqueued then.
 */
export type Admit = (events: number, info: BodyInfo) => Promise<void>;

/**
 * Where a request body is decoded and prepared: in an ingest thread when there are threads and no
 * plugin taps a per-event hook (hooks are functions of this thread), else here, hooks and all.
 */
export function createIngestRunner(pipeline: IngestPipeline, threads: IngestThreads | null, limits: IngestLimits) {
  return async function runIngest(job: IngestJob, admit: Admit): Promise<JobResult> {
    if (threads && pipeline.isPure()) {
      const result = await threads.run(job);
      await admit(result.prepared.ids.length + result.prepared.rejected.length, result.info);
      return result;
    }
    const body = await decompressBody(job.body, job.encoding, limits.maxBodyBytes);
    const { events, pathOf, info } = decodeJob({ ...job, body, encoding: 'identity' }, limits);
    await admit(events.length, info);
    const prepared = await pipeline.prepare({ projectId: job.projectId, events, clientIp: job.clientIp, receivedAt: new Date(job.receivedAt), pathOf });
    return { info, prepared };
  };
}

export type IngestRunner = ReturnType<typeof createIngestRunner>;
