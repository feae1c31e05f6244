import type { Logger } from 'pino';
import { DEFAULT_NOTIFY_TIMEOUT_MS } from '../config.js';
import { FaultlineError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import {
  HOOK_KINDS,
  HOOK_ON_ERROR,
  INGEST_HOOKS,
  type HookHandler,
  type HookName,
  type HookResult,
  type HookRunArgs,
} from './hook-names.js';
import { loadIngestModule, moduleSpec, type IngestModuleSpec, type JsonValue, type LoadedIngestModule } from './ingest-module.js';

interface Tap {
  plugin: string;
  fn: (...args: any[]) => unknown;
  /** Registration order across taps and modules: handlers run in plugin order whatever their source. */
  order: number;
  /** A function of this thread (`tap`), as opposed to one loaded from an ingest module. */
  inProcess: boolean;
  /** Its module promised never to change the event it is given (IngestModuleOptions). */
  copyOnWrite: boolean;
}

/** The hooks whose handlers may change the event itself. */
const EVENT_CHANGING_HOOKS = ['ingest:normalize', 'ingest:scrub'] as const;

/** What a plugin sees: it can register handlers, not run hooks. */
export interface HookTaps {
  /** A handler of this thread. On an `ingest:*` hook it keeps ingest on the main thread; prefer `module`. */
  tap<N extends HookName>(name: N, handler: HookHandler<N>): () => void;
  /**
   * Per-event handlers as a module (ingest-module.ts) that every ingest thread loads, and the main thread
   * too; `options` must be JSON. Its handlers run in plugin order with the taps, under the plugin's name.
   */
  module(url: URL | string, options?: JsonValue): void;
}

/** A handler that threw or outlived its timeout. */
export interface HookFailure {
  plugin: string;
  hook: HookName;
  err: unknown;
  timedOut?: boolean;
}
export type HookFailureReporter = (failure: HookFailure) => void;

/** The main thread's reporter: a log line with the plugin and hook, and `faultline_hook_failures_total`. */
export function logAndCountFailures(log: Logger, metrics: Metrics): HookFailureReporter {
  return function reportHookFailure({ plugin, hook, err, timedOut }) {
    metrics.hookFailures.inc({ hook, plugin });
    log.error({ plugin, hook, err }, timedOut ? 'hook handler timed out' : 'hook handler failed');
  };
}

export interface HookRegistryOptions {
  /** How long a notify handler may run before it is reported as timed out and no longer awaited. */
  notifyTimeoutMs?: number;
}

const TIMED_OUT = Symbol('timed out');
const FAILED = Symbol('failed');

/** Whether a handler's answer (or runEach's) is still to come. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function';
}

/**
 * Holds the handlers of every hook and runs them by the hook's declared kind (`run`), so a caller cannot
 * run a filter as a waterfall. Failures go to `report` and then follow HOOK_ON_ERROR.
 */
export class HookRegistry {
  private readonly taps = new Map<HookName, Tap[]>();
  private readonly modules: IngestModuleSpec[] = [];
  private order = 0;
  /** Set once modules are loaded: a module registered later would reach some threads and not others. */
  private sealed = false;
  private readonly notifyTimeoutMs: number;

  constructor(
    private readonly report: HookFailureReporter,
    options: HookRegistryOptions = {},
  ) {
    this.notifyTimeoutMs = options.notifyTimeoutMs ?? DEFAULT_NOTIFY_TIMEOUT_MS;
  }

  /** A registering view that stamps the plugin's name on every handler and module. */
  forPlugin(plugin: string): HookTaps {
    return {
      tap: (name, handler) => this.tap(plugin, name, handler),
      module: (url, options) => this.module(plugin, url, options),
    };
  }

  tap<N extends HookName>(plugin: string, name: N, fn: HookHandler<N>): () => void {
    if (!Object.hasOwn(HOOK_KINDS, name)) {
      throw new FaultlineError('FAULTLINE_ERR_HOOK_UNKNOWN', `Unknown hook "${String(name)}" (plugin ${plugin})`);
    }
    const entry: Tap = { plugin, fn: fn as Tap['fn'], order: this.order++, inProcess: true, copyOnWrite: false };
    this.insert(name, entry);
    return () => this.taps.set(name, (this.taps.get(name) ?? []).filter((t) => t !== entry));
  }

  module(plugin: string, url: URL | string, options?: JsonValue): void {
    if (this.sealed) {
      throw new FaultlineError('FAULTLINE_ERR_HOOK_MODULE', `Plugin ${plugin}: ingest modules are declared in a plugin's setup(), before Faultline starts`);
    }
    this.modules.push(moduleSpec(plugin, url, options, this.order++));
  }

  /**
   * Core's own ingest module (its scrubbing), given as handlers rather than by URL: core's threads load
   * it with their own code (from the sources under tsx too, where a thread cannot import a .ts URL).
   * Its handlers run before every plugin's, and count as a module's: they keep ingest on the threads.
   */
  addBuiltin(plugin: string, { handlers, copyOnWrite }: LoadedIngestModule): void {
    for (const [name, fn] of Object.entries(handlers)) {
      this.insert(name as HookName, { plugin, fn: fn as Tap['fn'], order: -1, inProcess: false, copyOnWrite });
    }
  }

  /** The modules registered, for the ingest threads to load. */
  moduleSpecs(): readonly IngestModuleSpec[] {
    return this.modules;
  }

  /** Imports modules and adds their handlers at their registration's place; by default the ones registered here. */
  async loadModules(specs: readonly IngestModuleSpec[] = this.modules): Promise<void> {
    this.sealed = true;
    for (const spec of specs) {
      const { handlers, copyOnWrite } = await loadIngestModule(spec);
      for (const [name, fn] of Object.entries(handlers)) {
        this.insert(name as HookName, { plugin: spec.plugin, fn: fn as Tap['fn'], order: spec.order, inProcess: false, copyOnWrite });
      }
    }
  }

  has(name: HookName): boolean {
    return (this.taps.get(name)?.length ?? 0) > 0;
  }

  /** Whether any per-event hook has a handler: events then take the hooked path. */
  hasIngestHandlers(): boolean {
    return INGEST_HOOKS.some((name) => this.has(name));
  }

  /** Whether a per-event handler is a function of this thread (`tap`): ingest cannot move to a thread then. */
  tapsIngestInProcess(): boolean {
    return INGEST_HOOKS.some((name) => this.taps.get(name)?.some((t) => t.inProcess));
  }

  /** Whether a handler may change the event itself, so the bytes as sent no longer describe it (event-payload.ts). */
  mayChangeEvents(): boolean {
    return EVENT_CHANGING_HOOKS.some((name) => this.has(name));
  }

  /** Whether every handler that may change the event is copy-on-write: an event they left alone is then the very object they were given. */
  changesAreVisible(): boolean {
    return EVENT_CHANGING_HOOKS.every((name) => (this.taps.get(name) ?? []).every((t) => t.copyOnWrite));
  }

  /**
   * `run` for the per-event hooks, without a promise while every handler answers synchronously (they
   * mostly do, and a promise per hook per event is measurable at ingest rates); a promise otherwise.
   */
  runEach<N extends 'ingest:normalize' | 'ingest:scrub' | 'ingest:filter' | 'ingest:fingerprint'>(
    name: N,
    ...args: HookRunArgs<N>
  ): HookResult<N> | Promise<HookResult<N>> {
    const [value, context] = args as [unknown, unknown];
    return this.runValued(name, value, context) as HookResult<N> | Promise<HookResult<N>>;
  }

  /** Runs a hook by its declared kind: the last value (waterfall), keep or drop (filter), nothing (notify). */
  async run<N extends HookName>(name: N, ...args: HookRunArgs<N>): Promise<HookResult<N>> {
    const [value, context] = args as [unknown, unknown];
    if (HOOK_KINDS[name] !== 'notify') return (await this.runValued(name, value, context)) as HookResult<N>;
    const list = this.taps.get(name);
    if (list) await Promise.all(list.map((tap) => this.notifyOne(name, tap, value)));
    return undefined as HookResult<N>;
  }

  /** A waterfall's last value or a filter's verdict: synchronous until a handler answers with a promise. */
  private runValued(name: HookName, value: unknown, context: unknown): unknown {
    const list = this.taps.get(name);
    const filter = HOOK_KINDS[name] === 'filter';
    if (!list) return filter ? true : value;
    return filter ? this.filterFrom(name, list, 0, value, context) : this.waterfallFrom(name, list, 0, value, context);
  }

  private insert(name: HookName, entry: Tap): void {
    const list = [...(this.taps.get(name) ?? []), entry].sort((a, b) => a.order - b.order);
    this.taps.set(name, list);
  }

  /** The waterfall from handler `i` on: synchronous until a handler answers with a promise. */
  private waterfallFrom(name: HookName, list: Tap[], i: number, value: unknown, context: unknown): unknown {
    let current = value;
    for (; i < list.length; i++) {
      const tap = list[i];
      const next = this.call(name, tap, current, context);
      if (next === FAILED) continue;
      if (isThenable(next)) {
        const from = i + 1;
        const before = current;
        return Promise.resolve(next).then(
          (v) => this.waterfallFrom(name, list, from, this.checked(name, tap, v) ? v : before, context),
          (err) => {
            this.fail(name, tap, err);
            return this.waterfallFrom(name, list, from, before, context);
          },
        );
      }
      if (this.checked(name, tap, next)) current = next;
    }
    return current;
  }

  /** The filter from handler `i` on: synchronous until a handler answers with a promise. */
  private filterFrom(name: HookName, list: Tap[], i: number, value: unknown, context: unknown): boolean | Promise<boolean> {
    for (; i < list.length; i++) {
      const tap = list[i];
      const keep = this.call(name, tap, value, context);
      if (keep === FAILED) continue;
      if (isThenable(keep)) {
        const from = i + 1;
        return Promise.resolve(keep).then(
          (k) => (k === false ? false : this.filterFrom(name, list, from, value, context)),
          (err) => {
            this.fail(name, tap, err);
            return this.filterFrom(name, list, from, value, context);
          },
        );
      }
      if (keep === false) return false;
    }
    return true;
  }

  /** One handler's answer, or FAILED once its throw is reported (fail() rethrows where the hook rejects). */
  private call(name: HookName, tap: Tap, value: unknown, context: unknown): unknown {
    try {
      return tap.fn(value, context);
    } catch (err) {
      this.fail(name, tap, err);
      return FAILED;
    }
  }

  /** Whether a waterfall handler's answer can be the next value; reports it as a failure when not. */
  private checked(name: HookName, tap: Tap, value: unknown): boolean {
    const wrong = HOOK_KINDS[name] === 'waterfall' ? wrongResult(name, value) : null;
    if (wrong) this.fail(name, tap, new TypeError(wrong));
    return wrong === null;
  }

  /** One notify handler, awaited at most notifyTimeoutMs; then its signal aborts and it is reported. */
  private async notifyOne(name: HookName, tap: Tap, value: unknown): Promise<void> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(resolve, this.notifyTimeoutMs, TIMED_OUT);
    });
    const running = (async () => tap.fn(value, { signal: controller.signal }))();
    running.catch(() => undefined); // a handler that fails after its timeout was reported already
    try {
      if ((await Promise.race([running, timeout])) === TIMED_OUT) {
        controller.abort();
        this.report({ plugin: tap.plugin, hook: name, err: new Error(`no answer after ${this.notifyTimeoutMs} ms`), timedOut: true });
      }
    } catch (err) {
      this.report({ plugin: tap.plugin, hook: name, err });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reports a failed handler, then rejects the event or lets the run go on, as the hook declares. */
  private fail(name: HookName, tap: Tap, err: unknown): void {
    this.report({ plugin: tap.plugin, hook: name, err });
    if (HOOK_ON_ERROR[name] === 'reject') {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_HOOK_FAILED', `The ${name} handler of plugin ${tap.plugin} failed; the event was not stored`);
    }
  }
}

/** Why a waterfall handler's return value cannot be the next value, or null when it can. */
function wrongResult(name: HookName, value: unknown): string | null {
  if (name === 'ingest:fingerprint') {
    return Array.isArray(value) && value.every((part) => typeof part === 'string') ? null : 'an ingest:fingerprint handler must return an array of strings';
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : `an ${name} handler must return the event, not ${value === null ? 'null' : typeof value}`;
}
