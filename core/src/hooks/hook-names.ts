import type { CanonicalEvent } from '../event/types.js';
import type { Issue, StoredEventRef } from '../providers/storage.js';

/** What a hook handler is told besides its value. */
export interface IngestHookContext {
  projectId: number;
}

/**
 * Every hook: its kind decides how handlers run and what their return value means.
 *
 * | kind      | handlers run          | a handler returns           | a handler throws                     |
 * |-----------|-----------------------|-----------------------------|--------------------------------------|
 * | waterfall | in order              | the value for the next one  | the event is rejected (counted)      |
 * | filter    | in order, until false | false to drop the event     | the event is rejected (counted)      |
 * | notify    | in parallel           | ignored                     | logged and counted, never fails ingest |
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

type Sig<N extends HookName> = HookSignatures[N];
type Ctx<N extends HookName> = Sig<N> extends { context: infer C } ? C : undefined;

export type HookHandler<N extends HookName> = Sig<N>['kind'] extends 'waterfall'
  ? (value: Sig<N>['value'], context: Ctx<N>) => Sig<N>['value'] | Promise<Sig<N>['value']>
  : Sig<N>['kind'] extends 'filter'
    ? (value: Sig<N>['value'], context: Ctx<N>) => boolean | Promise<boolean>
    : (value: Sig<N>['value']) => void | Promise<void>;

export type HookValue<N extends HookName> = Sig<N>['value'];
export type HookContext<N extends HookName> = Ctx<N>;
