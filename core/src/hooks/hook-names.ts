import type { CanonicalEvent } from '../event/types.js';
import type { Issue, StoredEventRef } from '../providers/storage.js';
import type { ProjectScrubbing } from '../providers/scrubbing.js';

/** What a hook handler is told besides its value. */
export interface IngestHookContext {
  projectId: number;
  /** The project's scrubbing rules, when core's scrubbing is on (`scrubbing` option); any scrub handler may use them. */
  scrubbing?: ProjectScrubbing;
}

/**
 * Every hook: its kind decides how handlers run and what their return value means.
 *
 * | kind      | handlers run          | a handler returns           |
 * |-----------|-----------------------|-----------------------------|
 * | waterfall | in order              | the value for the next one  |
 * | filter    | in order, until false | false to drop the event     |
 * | notify    | in parallel, bounded  | ignored                     |
 *
 * What a throwing handler does is the hook's own (HOOK_ON_ERROR); it is always logged and counted in
 * `faultline_hook_failures_total{plugin,hook}`.
 */
export interface HookSignatures {
  'ingest:normalize': { kind: 'waterfall'; value: CanonicalEvent; context: IngestHookContext };
  'ingest:scrub': { kind: 'waterfall'; value: CanonicalEvent; context: IngestHookContext };
  'ingest:filter': { kind: 'filter'; value: CanonicalEvent; context: IngestHookContext };
  /** The value is the fingerprint components (strings); the event is in the context. */
  'ingest:fingerprint': {
    kind: 'waterfall';
    value: string[];
    context: IngestHookContext & { event: CanonicalEvent };
  };
  /** `event` is the batch's first event of the issue. */
  'issue:created': { kind: 'notify'; value: { issue: Issue; event: CanonicalEvent } };
  'issue:regressed': { kind: 'notify'; value: { issue: Issue; event: CanonicalEvent } };
  'issue:updated': { kind: 'notify'; value: { issue: Issue; previous: Issue } };
  /** Once per committed batch, with every event it stored (search indexes them in bulk). */
  'event:stored': { kind: 'notify'; value: { events: Array<StoredEventRef & { event: CanonicalEvent }> } };
}

export type HookName = keyof HookSignatures;
export type HookKind = HookSignatures[HookName]['kind'];

export const HOOK_KINDS: { readonly [N in HookName]: HookSignatures[N]['kind'] } = {
  'ingest:normalize': 'waterfall',
  'ingest:scrub': 'waterfall',
  'ingest:filter': 'filter',
  'ingest:fingerprint': 'waterfall',
  'issue:created': 'notify',
  'issue:regressed': 'notify',
  'issue:updated': 'notify',
  'event:stored': 'notify',
};

/**
 * What a handler that throws (or, for notify, outlives its timeout) does to the run:
 * - `reject`: the event is rejected with FAULTLINE_ERR_INGEST_HOOK_FAILED naming the hook and plugin.
 *   Fail closed: a scrubber that breaks must not let the event through unscrubbed, nor a filter let
 *   through what it was meant to drop.
 * - `skip`: the handler is passed over; the next one gets the value the failed one got. Normalizing and
 *   grouping are refinements: losing the event to a plugin's bug would cost more than an event stored
 *   without that plugin's touch (a fingerprint plugin that fails leaves the default grouping).
 * - `log`: notify; the others still run and nothing reaches the caller.
 */
export type HookFailurePolicy = 'reject' | 'skip' | 'log';

export const HOOK_ON_ERROR: { readonly [N in HookName]: HookFailurePolicy } = {
  'ingest:normalize': 'skip',
  'ingest:scrub': 'reject',
  'ingest:filter': 'reject',
  'ingest:fingerprint': 'skip',
  'issue:created': 'log',
  'issue:regressed': 'log',
  'issue:updated': 'log',
  'event:stored': 'log',
};

/** The per-event hooks: they run where the event is prepared (an ingest thread or the main thread). */
export const INGEST_HOOKS = ['ingest:normalize', 'ingest:scrub', 'ingest:filter', 'ingest:fingerprint'] as const;
export type IngestHookName = (typeof INGEST_HOOKS)[number];

/** What a notify handler is told besides its value: aborted when its timeout passes or Faultline stops. */
export interface NotifyContext {
  signal: AbortSignal;
}

type Sig<N extends HookName> = HookSignatures[N];
type Ctx<N extends HookName> = Sig<N> extends { context: infer C } ? C : undefined;

export type HookHandler<N extends HookName> = Sig<N>['kind'] extends 'waterfall'
  ? (value: Sig<N>['value'], context: Ctx<N>) => Sig<N>['value'] | Promise<Sig<N>['value']>
  : Sig<N>['kind'] extends 'filter'
    ? (value: Sig<N>['value'], context: Ctx<N>) => boolean | Promise<boolean>
    : (value: Sig<N>['value'], context: NotifyContext) => void | Promise<void>;

export type HookValue<N extends HookName> = Sig<N>['value'];
export type HookContext<N extends HookName> = Ctx<N>;
/** What `hooks.run` resolves to: the last value (waterfall), whether to keep the event (filter), nothing (notify). */
export type HookResult<N extends HookName> = Sig<N>['kind'] extends 'waterfall' ? Sig<N>['value'] : Sig<N>['kind'] extends 'filter' ? boolean : void;
/** `hooks.run`'s arguments after the name: notify hooks take only the value. */
export type HookRunArgs<N extends HookName> = Sig<N>['kind'] extends 'notify' ? [value: Sig<N>['value']] : [value: Sig<N>['value'], context: Ctx<N>];
