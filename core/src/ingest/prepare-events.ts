import type { IngestLimits } from '../config.js';
import { FaultlineError, isFaultlineError } from '../errors.js';
import type { CanonicalEvent } from '../event/types.js';
import type { EventValidator } from '../event/validate-event.js';
import type { GroupedEvent } from '../providers/storage.js';
import { resolveFingerprint } from './fingerprint.js';
import { toGroupedEvent } from './group-event.js';
import { normalizeEvent } from './normalize-event.js';

export interface RejectedEvent {
  index: number;
  error: { code: string; message: string; path?: string };
}

/** A request's events after the per-event pipeline, ready to be enqueued. Plain data: it crosses threads. */
export interface PreparedEvents {
  grouped: GroupedEvent[];
  /** Ids of the events that passed validation, in request order (including any a plugin filtered out). */
  ids: string[];
  rejected: RejectedEvent[];
}

export interface PrepareContext {
  projectId: number;
  receivedAt: Date;
  clientIp: string | undefined;
  limits: IngestLimits;
  validate: EventValidator;
  /** How a rejected event's path starts (`events[3]`, say); default: no prefix. */
  pathOf?(index: number): string;
}

/** Validates and normalizes one parsed event; throws a FaultlineError naming the bad field. */
export function checkEvent(value: unknown, index: number, ctx: PrepareContext): CanonicalEvent {
  return normalizeEvent(ctx.validate(value, ctx.pathOf?.(index) ?? ''), {
    receivedAt: ctx.receivedAt,
    clientIp: ctx.clientIp,
    limits: ctx.limits,
  });
}

export function rejection(index: number, err: unknown): RejectedEvent {
  const error = isFaultlineError(err) ? err : new FaultlineError('FAULTLINE_ERR_INGEST_SCHEMA', 'Event was rejected by a plugin', { cause: err });
  return { index, error: error.toJSON().error };
}

/**
 * The per-event pipeline when no plugin taps a per-event hook: validate, normalize, group, serialize.
 * Pure and synchronous, so it runs the same in an ingest thread as on the main thread. Takes the parsed
 * values over and releases each once grouped, so the trees die young.
 */
export function prepareEvents(events: unknown[], ctx: PrepareContext): PreparedEvents {
  const receivedAt = ctx.receivedAt.toISOString();
  const prepared: PreparedEvents = { grouped: [], ids: [], rejected: [] };
  for (let i = 0; i < events.length; i++) {
    const value = events[i];
    events[i] = undefined;
    try {
      const event = checkEvent(value, i, ctx);
      prepared.grouped.push(toGroupedEvent(ctx.projectId, receivedAt, event, resolveFingerprint(event)));
      prepared.ids.push(event.event_id);
    } catch (err) {
      prepared.rejected.push(rejection(i, err));
    }
  }
  return prepared;
}
