/**
 * An ingest thread (run by piscina): decodes, validates, normalizes, runs the plugins' ingest modules,
 * groups and serializes request bodies, so the main thread only moves bytes. A FaultlineError comes back
 * as data (an Error loses its class, code and path crossing threads); anything else is a bug and rejects
 * the task. Hook failures travel back with a job's result, for the main thread to log and count.
 */
import { workerData } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { IngestLimits } from '../config.js';
import { isFaultlineError, type ErrorCode } from '../errors.js';
import { createEventValidator } from '../event/validate-event.js';
import { HookRegistry, type HookFailure } from '../hooks/hook-registry.js';
import { startIngestModule, type IngestModuleSpec } from '../hooks/ingest-module.js';
import scrubModule from '../scrub/scrub-module.js';
import { CORE } from '../scrub/scrubbing-rules.js';
import { runJob, type IngestJob, type JobResult } from './ingest-job.js';
import type { HookFailureRecord } from './prepare-events.js';
import { SearchRepeats } from './search-repeats.js';

export type WorkerAnswer =
  | { ok: true; result: JobResult }
  | { ok: false; error: { code: ErrorCode; message: string; path?: string } };

export interface IngestWorkerData {
  limits: IngestLimits;
  /** The plugins' ingest modules, in plugin order; loaded once when the thread starts. */
  modules: IngestModuleSpec[];
  /** Core's scrubbing is on: the thread adds its handlers before the plugins' (create-faultline.ts does the same). */
  scrubbing: boolean;
}

const { limits, modules, scrubbing } = workerData as IngestWorkerData;
const validate = createEventValidator(limits);
/** This thread's, across its jobs: a pool belongs to one Faultline, so no other instance's issues are here. */
const repeats = new SearchRepeats();

/**
 * Failures since the last answer. Any job may carry them back (several run at once), and each is sent
 * by the job it happened in at the latest, since that job answers after it.
 */
const failures: HookFailureRecord[] = [];
const hooks = new HookRegistry(function keepHookFailure(failure: HookFailure) {
  const err = failure.err instanceof Error ? failure.err : new Error(String(failure.err));
  failures.push({ plugin: failure.plugin, hook: failure.hook, err: { name: err.name, message: err.message, stack: err.stack } });
});
// Not a top-level await: piscina may load this file with require() first, which refuses one.
let loading: Promise<void> | null = modules.length > 0 || scrubbing ? loadHandlers() : null;
loading?.then(
  () => (loading = null),
  () => undefined, // each job rejects with it; the main thread loaded the same modules at start
);

async function loadHandlers(): Promise<void> {
  if (scrubbing) hooks.addBuiltin(CORE, await startIngestModule(scrubModule, undefined));
  await hooks.loadModules(modules);
}

/** Answers a WorkerAnswer (a promise of one when modules run); a successful one wrapped so piscina transfers its payloads. */
export default function ingestJob(job: IngestJob): unknown {
  if (loading) return loading.then(() => ingestJob(job));
  try {
    const result = runJob(job, limits, validate, hooks, repeats);
    return result instanceof Promise ? result.then(answer, refusal) : answer(result);
  } catch (err) {
    return refusal(err);
  }
}

function answer(result: JobResult): unknown {
  if (failures.length > 0) result.prepared.hookFailures = failures.splice(0);
  // The payloads move to the main thread instead of being copied (each owns its ArrayBuffer).
  const payloads = result.prepared.grouped.map((e) => e.payload.buffer);
  const reply: WorkerAnswer = { ok: true, result };
  return move({ [transferableSymbol]: payloads, [valueSymbol]: reply } as never);
}

function refusal(err: unknown): WorkerAnswer {
  if (!isFaultlineError(err)) throw err;
  return { ok: false, error: { code: err.code, message: err.message, ...(err.path === undefined ? {} : { path: err.path }) } };
}
