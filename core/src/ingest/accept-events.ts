import type { FaultlineConfig } from '../config.js';
import { ERRORS, FaultlineError, isFaultlineError, type ErrorCode } from '../errors.js';
import type { EventValidator } from '../event/validate-event.js';
import type { HookFailureReporter, HookRegistry } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import type { QueueProvider } from '../providers/queue.js';
import type { ProjectScrubbing } from '../providers/scrubbing.js';
import { prepareEvents, prepareHookedEvents, type PrepareContext, type PreparedEvents, type RejectedEvent, type SentEvents } from './prepare-events.js';
import { SearchRepeats } from './search-repeats.js';

export type { PreparedEvents, RejectedEvent };

export interface AcceptRequest {
  projectId: number;
  /** Parsed JSON values, one per event. Taken over: each entry is released once grouped. */
  events: unknown[];
  clientIp: string | undefined;
  receivedAt?: Date;
  /** How a rejected event's path starts (`events[3]`, say); default: no prefix. */
  pathOf?(index: number): string;
  /** The events' bytes as sent: kept as their payloads unless a hook may change the events. */
  sent?: SentEvents;
  /** The metrics label of the route that received the events. */
  route: string;
  /** The project's scrubbing rules (core's scrubbing is on), for the hooks' context. */
  scrubbing?: ProjectScrubbing;
}

export interface AcceptResult {
  accepted: number;
  ids: string[];
  rejected: RejectedEvent[];
}

export interface AcceptDeps {
  config: FaultlineConfig;
  validate: EventValidator;
  hooks: HookRegistry;
  queue(): QueueProvider;
  metrics: Metrics;
  reportHookFailure: HookFailureReporter;
  /** Whether storage reads the events' search fields (StorageProvider.indexesSearchFields): else none are built. */
  searchFields(): boolean;
}

/**
 * Ingest after decoding: `prepare` validates, normalizes, runs the plugins' event hooks and groups;
 * `commit` enqueues the survivors as one unit and resolves when the queue holds them durably.
 * Invalid events are reported by index; when none is valid the whole request fails with the first
 * event's error.
 */
export function createIngestPipeline(deps: AcceptDeps) {
  const { config, validate, hooks, metrics } = deps;
  /** This instance's, for the requests prepared on the main thread (ingest threads keep their own). */
  const repeats = new SearchRepeats();

  /**
   * True while no plugin taps a per-event hook in-process: preparing may then run in an ingest thread,
   * which loads the plugins' ingest modules itself.
   */
  function threadable(): boolean {
    return !hooks.tapsIngestInProcess();
  }

  async function prepare(req: Omit<AcceptRequest, 'route'>): Promise<PreparedEvents> {
    const ctx: PrepareContext = {
      projectId: req.projectId,
      receivedAt: req.receivedAt ?? new Date(),
      clientIp: req.clientIp,
      limits: config.limits,
      validate,
      pathOf: req.pathOf,
      sent: req.sent,
      scrubbing: req.scrubbing,
      searchFields: deps.searchFields(),
      repeats,
    };
    return hooks.hasIngestHandlers() ? prepareHookedEvents(req.events, ctx, hooks) : prepareEvents(req.events, ctx);
  }

  /** Logs and counts the handlers that failed in an ingest thread, as the registry does for this one. */
  function reportThreadFailures(prepared: PreparedEvents): void {
    for (const { plugin, hook, err } of prepared.hookFailures ?? []) deps.reportHookFailure({ plugin, hook, err });
    delete prepared.hookFailures;
  }

  async function commit(prepared: PreparedEvents, route: string): Promise<AcceptResult> {
    const { ids, rejected } = prepared;
    if (prepared.filtered) metrics.eventsFiltered.inc(prepared.filtered);
    if (ids.length === 0 && rejected.length > 0) {
      // The whole request is refused: the ingest routes count it once, as they answer it.
      const first = rejected[0].error;
      const many = rejected.length > 1;
      throw new FaultlineError(many ? 'FAULTLINE_ERR_INGEST_NOTHING_VALID' : (first.code as any), many ? `No event in the batch is valid; first: ${first.message}` : first.message, {
        path: first.path,
      });
    }
    try {
      await deps.queue().enqueue(prepared.grouped);
    } catch (err) {
      if (isFaultlineError(err)) throw err;
      // Storage failed: nothing was stored, and a retry is safe because event ids make it idempotent.
      throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', 'Events could not be stored; retry later', { retryAfter: 5, cause: err });
    }
    for (const r of rejected) metrics.eventsRejected.inc({ code: r.error.code, status: statusOf(r.error.code) });
    metrics.eventsAccepted.inc({ route }, ids.length);
    return { accepted: ids.length, ids, rejected };
  }

  return {
    threadable,
    searchFields: deps.searchFields,
    reportThreadFailures,
    prepare,
    commit,
    /** Both steps on this thread: for `faultline.ingest()` and tests. */
    async accept(req: AcceptRequest): Promise<AcceptResult> {
      return commit(await prepare(req), req.route);
    },
  };
}

export type IngestPipeline = ReturnType<typeof createIngestPipeline>;

function statusOf(code: string): number {
  return ERRORS[code as ErrorCode]?.status ?? 400;
}
