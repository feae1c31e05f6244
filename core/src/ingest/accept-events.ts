import type { FaultlineConfig } from '../config.js';
import { FaultlineError, isFaultlineError } from '../errors.js';
import type { EventValidator } from '../event/validate-event.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import type { QueueProvider } from '../providers/queue.js';
import type { GroupedEvent } from '../providers/storage.js';
import { groupEvent } from './group-event.js';
import { normalizeEvent } from './normalize-event.js';

export interface AcceptRequest {
  projectId: number;
  /**
   * Parsed JSON values, one per event. Accept takes them over: each entry is released once grouped, so
   * the parsed trees are collected young instead of living (and being promoted) until the batch commits.
   */
  events: unknown[];
  clientIp: string | undefined;
  receivedAt?: Date;
  /** How a rejected event's path starts (`events[3]`, say); default: no prefix. */
  pathOf?(index: number): string;
  /** The metrics label of the route that received the events. */
  route: string;
}

export interface RejectedEvent {
  index: number;
  error: { code: string; message: string; path?: string };
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
}

/**
 * Validates, normalizes, scrubs, filters and groups each event, then enqueues the survivors as one unit.
 * Resolves when the queue holds them durably. Invalid events are reported by index; when none is valid
 * the whole request fails with the first event's error.
 */
export function createAcceptEvents(deps: AcceptDeps) {
  const { config, validate, hooks, metrics } = deps;
  const hasEventHooks = () => hooks.has('ingest:normalize') || hooks.has('ingest:scrub') || hooks.has('ingest:filter');

  return async function acceptEvents(req: AcceptRequest): Promise<AcceptResult> {
    const receivedAt = req.receivedAt ?? new Date();
    const receivedIso = receivedAt.toISOString();
    const ids: string[] = [];
    const rejected: RejectedEvent[] = [];
    const queued: GroupedEvent[] = [];
    const context = { projectId: req.projectId };
    const runHooks = hasEventHooks();

    for (let i = 0; i < req.events.length; i++) {
      const value = req.events[i];
      req.events[i] = undefined;
      try {
        let event = normalizeEvent(validate(value, req.pathOf?.(i) ?? ''), {
          receivedAt,
          clientIp: req.clientIp,
          limits: config.limits,
        });
        ids.push(event.event_id);
        if (runHooks) {
          event = await hooks.waterfall('ingest:normalize', event, context);
          event = await hooks.waterfall('ingest:scrub', event, context);
          if (!(await hooks.filter('ingest:filter', event, context))) {
            metrics.eventsFiltered.inc();
            continue;
          }
        }
        queued.push(await groupEvent(req.projectId, receivedIso, event, hooks));
      } catch (err) {
        const error = isFaultlineError(err)
          ? err
          : new FaultlineError('FAULTLINE_ERR_INGEST_SCHEMA', 'Event was rejected by a plugin', { cause: err });
        metrics.eventsRejected.inc({ code: error.code });
        rejected.push({ index: i, error: error.toJSON().error });
      }
    }

    if (ids.length === 0 && rejected.length > 0) {
      const first = rejected[0].error;
      const message = req.events.length > 1 ? `No event in the batch is valid; first: ${first.message}` : first.message;
      throw new FaultlineError(req.events.length > 1 ? 'FAULTLINE_ERR_INGEST_NOTHING_VALID' : (first.code as any), message, {
        path: first.path,
      });
    }
    try {
      await deps.queue().enqueue(queued);
    } catch (err) {
      if (isFaultlineError(err)) throw err;
      // Storage failed: nothing was stored, and a retry is safe because event ids make it idempotent.
      throw new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', 'Events could not be stored; retry later', { retryAfter: 5, cause: err });
    }
    metrics.eventsAccepted.inc({ route: req.route }, ids.length);
    return { accepted: ids.length, ids, rejected };
  };
}

export type AcceptEvents = ReturnType<typeof createAcceptEvents>;
