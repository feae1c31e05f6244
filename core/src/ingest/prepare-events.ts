import type { IngestLimits } from '../config.js';
import { FaultlineError, isFaultlineError } from '../errors.js';
import type { DataLoss } from '../event/data-loss.js';
import type { CanonicalEvent } from '../event/types.js';
import type { EventValidator } from '../event/validate-event.js';
import type { HookName } from '../hooks/hook-names.js';
import { isThenable, type HookRegistry } from '../hooks/hook-registry.js';
import type { ProjectScrubbing } from '../providers/scrubbing.js';
import type { GroupedEvent } from '../providers/storage.js';
import { resolveFingerprint } from './fingerprint.js';
import { canonicalPayload, sentPayload, type SentRecipe } from './event-payload.js';
import { toGroupedEvent } from './group-event.js';
import { normalizeEvent } from './normalize-event.js';
import { SearchRepeats } from './search-repeats.js';

export interface RejectedEvent {
  index: number;
  error: { code: string; message: string; path?: string };
}

/** A request's events after the per-event pipeline, ready to be enqueued. Plain data: it crosses threads. */
export interface PreparedEvents {
  grouped: GroupedEvent[];
  /** Ids of the events that passed validation and the hooks, in request order (including any a plugin filtered out). */
  ids: string[];
  rejected: RejectedEvent[];
  /** Events an `ingest:filter` handler dropped. */
  filtered?: number;
  /** Handlers that failed in an ingest thread, for the main thread to log and count. */
  hookFailures?: HookFailureRecord[];
}

/** A HookFailure as data, to cross from an ingest thread. */
export interface HookFailureRecord {
  plugin: string;
  hook: HookName;
  err: { name: string; message: string; stack?: string };
}

export interface PrepareContext {
  projectId: number;
  receivedAt: Date;
  clientIp: string | undefined;
  limits: IngestLimits;
  validate: EventValidator;
  /** How a rejected event's path starts (`events[3]`, say); default: no prefix. */
  pathOf?(index: number): string;
  /** Each event's bytes as sent, to be kept as its payload instead of serializing it again (event-payload.ts). */
  sent?: SentEvents;
  /** The project's scrubbing rules, for the hooks' context. */
  scrubbing?: ProjectScrubbing;
  /** Build each event's search fields (GroupedEvent.search); false when storage keeps no search index. Default true. */
  searchFields?: boolean;
  /** The issues' text and frames recently carried, kept across requests by a thread or an instance; default: this request's. */
  repeats?: SearchRepeats;
}

export interface SentEvents {
  format: SentRecipe['format'];
  /** By event index; undefined where an event has no bytes of its own (`faultline.ingest()`, some native batches: wire/batch-event-ranges.ts). */
  bytes: (Uint8Array | undefined)[];
  /** By event index: whether mapping dropped something the bytes hold (event/data-loss.ts). */
  lossy?: boolean[];
}

/** Validates and normalizes one parsed event; throws a FaultlineError naming the bad field. */
export function checkEvent(value: unknown, index: number, ctx: PrepareContext, loss?: DataLoss): CanonicalEvent {
  return normalizeEvent(ctx.validate(value, ctx.pathOf?.(index) ?? ''), {
    receivedAt: ctx.receivedAt,
    clientIp: ctx.clientIp,
    limits: ctx.limits,
    loss,
  });
}

export function rejection(index: number, err: unknown): RejectedEvent {
  const error = isFaultlineError(err) ? err : new FaultlineError('FAULTLINE_ERR_INGEST_SCHEMA', 'Event was rejected by a plugin', { cause: err });
  return { index, error: error.toJSON().error };
}

/**
 * The event's bytes as sent with their recipe when there are some, else the event serialized. Bytes over
 * the event limit are serialized too: the event itself passed it, so they are mostly whitespace (a native
 * body may be 20 MiB), and storage should not keep that.
 */
function payloadOf(event: CanonicalEvent, sent: Uint8Array | undefined, receivedAt: string, ctx: PrepareContext): Uint8Array {
  const kept =
    sent &&
    sent.length <= ctx.limits.maxEventBytes &&
    sentPayload(sent, {
      format: ctx.sent!.format,
      eventId: event.event_id,
      receivedAt,
      // Only when the event asked for it (`{{auto}}`, now replaced): a payload holds no address it did not send.
      clientIp: ctx.clientIp !== undefined && event.user?.ip_address === ctx.clientIp ? ctx.clientIp : null,
      maxStringLength: ctx.limits.maxStringLength,
      maxBreadcrumbs: ctx.limits.maxBreadcrumbs,
    });
  return kept || canonicalPayload(event);
}

/**
 * The per-event pipeline when no plugin taps a per-event hook: validate, normalize, group, and keep the
 * event as sent (or serialize it). Pure and synchronous, so it runs the same in an ingest thread as on
 * the main thread. Takes the parsed values over and releases each once grouped, so the trees die young.
 */
export function prepareEvents(events: unknown[], ctx: PrepareContext): PreparedEvents {
  const receivedAt = ctx.receivedAt.toISOString();
  const prepared: PreparedEvents = { grouped: [], ids: [], rejected: [] };
  const repeats = ctx.repeats ?? new SearchRepeats();
  for (let i = 0; i < events.length; i++) {
    const value = events[i];
    events[i] = undefined;
    try {
      const event = checkEvent(value, i, ctx);
      const payload = payloadOf(event, ctx.sent?.bytes[i], receivedAt, ctx);
      const grouped = toGroupedEvent(ctx.projectId, receivedAt, event, resolveFingerprint(event), payload, ctx.searchFields);
      repeats.trim(grouped);
      prepared.grouped.push(grouped);
      prepared.ids.push(event.event_id);
    } catch (err) {
      // Past validation, anything else is the hooks' doing: an event they returned that cannot be grouped.
      const known = isFaultlineError(err) ? err : new FaultlineError('FAULTLINE_ERR_INGEST_HOOK_FAILED', 'The event the ingest hooks returned could not be grouped', { cause: err });
      prepared.rejected.push(rejection(i, known));
    }
  }
  return prepared;
}

/**
 * The per-event pipeline with the plugins' handlers (hooks.runEach): validate and normalize, then
 * `ingest:normalize`, `ingest:scrub`, `ingest:filter`, `ingest:fingerprint`, group. The same on an
 * ingest thread (module handlers) and on the main thread (modules and taps). An event is kept as sent
 * while no handler may change it, or while every such handler is copy-on-write, left it alone (the very
 * object it was given) and mapping and normalizing dropped nothing of it: the handlers then saw all that
 * is stored. Otherwise its canonical form is serialized (event-payload.ts).
 */
export async function prepareHookedEvents(events: unknown[], ctx: PrepareContext, hooks: HookRegistry): Promise<PreparedEvents> {
  const receivedAt = ctx.receivedAt.toISOString();
  const context = { projectId: ctx.projectId, scrubbing: ctx.scrubbing };
  const keepSent = !hooks.mayChangeEvents();
  const keepUnchanged = !keepSent && hooks.changesAreVisible();
  const prepared: PreparedEvents = { grouped: [], ids: [], rejected: [], filtered: 0 };
  const repeats = ctx.repeats ?? new SearchRepeats();
  for (let i = 0; i < events.length; i++) {
    const value = events[i];
    events[i] = undefined;
    try {
      const loss: DataLoss = { lossy: ctx.sent?.lossy?.[i] === true };
      const checked = checkEvent(value, i, ctx, loss);
      // `await` only on a promise: awaiting a plain value still costs a turn of the microtask queue per hook.
      const normalized = hooks.runEach('ingest:normalize', checked, context);
      let event = isThenable(normalized) ? await normalized : normalized;
      const scrubbed = hooks.runEach('ingest:scrub', event, context);
      event = isThenable(scrubbed) ? await scrubbed : scrubbed;
      const kept = hooks.runEach('ingest:filter', event, context);
      if (isThenable(kept) ? await kept : kept) {
        // The handlers' context (with the event) is made only for a hook that has handlers.
        const fingerprint = hooks.has('ingest:fingerprint') ? hooks.runEach('ingest:fingerprint', resolveFingerprint(event), { ...context, event }) : resolveFingerprint(event);
        const components = isThenable(fingerprint) ? await fingerprint : fingerprint;
        const asSent = keepSent || (keepUnchanged && event === checked && !loss.lossy);
        const payload = asSent ? payloadOf(event, ctx.sent?.bytes[i], receivedAt, ctx) : canonicalPayload(event);
        const grouped = toGroupedEvent(ctx.projectId, receivedAt, event, components, payload, ctx.searchFields);
        repeats.trim(grouped);
        prepared.grouped.push(grouped);
      } else {
        prepared.filtered!++;
      }
      prepared.ids.push(event.event_id);
    } catch (err) {
      prepared.rejected.push(rejection(i, err));
    }
  }
  return prepared;
}
