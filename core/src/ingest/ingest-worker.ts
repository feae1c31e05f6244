/**
 * An ingest thread (run by piscina): decodes, validates, normalizes, groups and serializes request
 * bodies, so the main thread only moves bytes. A FaultlineError comes back as data (an Error loses its
 * class, code and path crossing threads); anything else is a bug and rejects the task.
 */
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { IngestLimits } from '../config.js';
import { isFaultlineError, type ErrorCode } from '../errors.js';
import { createEventValidator } from '../event/validate-event.js';
import { runJob, type IngestJob, type JobResult } from './ingest-job.js';

export type WorkerAnswer =
  | { ok: true; result: JobResult }
  | { ok: false; error: { code: ErrorCode; message: string; path?: string } };

export interface IngestWorkerData {
  limits: IngestLimits;
}

const { limits } = workerData as IngestWorkerData;
const validate = createEventValidator(limits);

/** Answers a WorkerAnswer; a successful one wrapped so piscina transfers its payloads. */
export default function ingestJob(job: IngestJob): unknown {
  try {
    const result = runJob(job, limits, validate);
    // The payloads move to the main thread instead of being copied (each owns its ArrayBuffer).
    const payloads = result.prepared.grouped.map((e) => e.payload.buffer);
    const answer: WorkerAnswer = { ok: true, result };
    return move({ [transferableSymbol]: payloads, [valueSymbol]: answer } as never);
  } catch (err) {
    if (!isFaultlineError(err)) throw err;
    const answer: WorkerAnswer = { ok: false, error: { code: err.code, message: err.message, ...(err.path === undefined ? {} : { path: err.path }) } };
    return answer;
  }
}
