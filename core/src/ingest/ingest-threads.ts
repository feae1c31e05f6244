import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { IngestLimits } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { IngestModuleSpec } from '../hooks/ingest-module.js';
import type { IngestJob, JobResult } from './ingest-job.js';
import type { IngestWorkerData, WorkerAnswer } from './ingest-worker.js';

// From the sources (tests, tsx) the worker is the .ts file beside this one; built, the .js.
const WORKER = new URL(`./ingest-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

/** Jobs waiting for a thread, per thread, before ingest answers 503 (HTTP concurrency keeps it far lower). */
const QUEUE_PER_THREAD = 1000;

/**
 * A pool of ingest threads (piscina), started on the first job so a Faultline that never ingests, or
 * a CLI command, starts no threads. A job's body is transferred to the thread, not copied.
 */
export class IngestThreads {
  /** False when the worker file is not beside this one (a host app bundled @faultline/core). */
  static available(): boolean {
    return existsSync(fileURLToPath(WORKER));
  }

  private pool: Piscina<IngestJob, WorkerAnswer> | null = null;
  private closed = false;

  constructor(
    private readonly threads: number,
    private readonly limits: IngestLimits,
    /** The plugins' ingest modules, which every thread loads when it starts. */
    private readonly modules: readonly IngestModuleSpec[] = [],
    /** Core's scrubbing is on: every thread adds its handlers. */
    private readonly scrubbing = false,
  ) {}

  async run(job: IngestJob): Promise<JobResult> {
    if (this.closed) throw new FaultlineError('FAULTLINE_ERR_STOPPING');
    const body = ownedBytes(job.body);
    const answer = await this.start()
      .run({ ...job, body }, { transferList: [body.buffer as ArrayBuffer] })
      .catch((err: Error) => {
        if (/queue is at limit/i.test(err.message)) throw new FaultlineError('FAULTLINE_ERR_INGEST_OVERLOADED', undefined, { retryAfter: 1 });
        if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
          // The thread hit its heap cap on this body (piscina starts a new one): the body's fault, not ours.
          throw new FaultlineError('FAULTLINE_ERR_INGEST_BODY_TOO_LARGE', 'Body needs more memory to parse than an ingest thread has');
        }
        throw err;
      });
    if (!answer.ok) throw new FaultlineError(answer.error.code, answer.error.message, { path: answer.error.path });
    return answer.result;
  }

  /** Jobs waiting for a thread. */
  waiting(): number {
    return this.pool?.queueSize ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pool?.close();
    this.pool = null;
  }

  private start(): Piscina<IngestJob, WorkerAnswer> {
    this.pool ??= new Piscina<IngestJob, WorkerAnswer>({
      filename: WORKER,
      name: 'default',
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 60_000,
      maxQueue: this.threads * QUEUE_PER_THREAD,
      recordTiming: false,
      concurrentTasksPerWorker: 4,
      // Waiting with Atomics.waitAsync rather than a blocking Atomics.wait kept the CPUs busier
      // (bench:sentry, alternating runs: 1.72 vs 1.62 cores, ~1,030 vs ~970 events/s).
      atomics: 'async',
      // A thread's parsed events die young; a small young generation keeps its RSS near 25 MB (bench:ingest:
      // 16 MB measured ~10 MB more RSS for no clear speed). The old-generation cap bounds a hostile body.
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 },
      workerData: { limits: this.limits, modules: [...this.modules], scrubbing: this.scrubbing } satisfies IngestWorkerData,
    });
    return this.pool;
  }
}

/**
 * Bytes that own their whole ArrayBuffer, so it can move to the thread without a copy. A small Buffer
 * is a view into Node's shared 8 KB pool: that one is copied (cloning the view would copy the pool).
 */
function ownedBytes(body: Uint8Array): Uint8Array {
  const buffer = body.buffer;
  if (buffer instanceof ArrayBuffer && body.byteOffset === 0 && body.byteLength === buffer.byteLength) return body;
  return Uint8Array.prototype.slice.call(body);
}
