import { FaultlineError } from '../errors.js';
import { INGEST_HOOKS, type HookHandler, type IngestHookName } from './hook-names.js';

/** Options of an ingest module: JSON, since they are posted to every ingest thread. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The handlers an ingest module gives: any of the per-event hooks, with the same signatures as `tap`. */
export type IngestModuleHandlers = { [N in IngestHookName]?: HookHandler<N> };

/**
 * What an ingest module exports as `default`: a function of the plugin's options that returns the
 * handlers. Each thread calls it once when it starts (compile patterns there, not per event).
 *
 * ```ts
 * // scrub.ts
 * import { defineIngestModule } from '@faultline/core';
 * export default defineIngestModule((options: { fields: string[] }) => ({
 *   'ingest:scrub': (event) => ({ ...event, extra: omit(event.extra, options.fields) }),
 * }));
 * // the plugin's setup(ctx):
 * ctx.hooks.module(new URL('./scrub.js', import.meta.url), { fields: ['password'] });
 * ```
 * The module runs in ingest threads: it must not rely on the plugin's state, only on its options.
 */
export type IngestModule<O = any> = ((options: O) => IngestModuleHandlers | Promise<IngestModuleHandlers>) & { copyOnWrite?: boolean };

export interface IngestModuleOptions {
  /**
   * The module's `ingest:normalize` and `ingest:scrub` handlers never change the event they are given:
   * they return it as it is when they change nothing, and a copy (of the parts they change and the
   * objects above them) when they do. Ingest can then tell an untouched event by identity and keep its
   * bytes as sent instead of serializing it again (bench:prepare measures the difference). A handler that mutates its event in place under this promise would let the bytes as sent,
   * unscrubbed, be stored: without it (the default) every event a handler may change is serialized.
   */
  copyOnWrite?: boolean;
}

/** Types an ingest module's default export, with what it promises about its handlers. */
export function defineIngestModule<O = undefined>(factory: IngestModule<O>, options: IngestModuleOptions = {}): IngestModule<O> {
  if (options.copyOnWrite) factory.copyOnWrite = true;
  return factory;
}

/** An ingest module's handlers, with its promise (IngestModuleOptions). */
export interface LoadedIngestModule {
  handlers: IngestModuleHandlers;
  copyOnWrite: boolean;
}

/** Calls a module's factory: its handlers and whether it declared them copy-on-write. */
export async function startIngestModule<O>(factory: IngestModule<O>, options: O): Promise<LoadedIngestModule> {
  return { handlers: await factory(options), copyOnWrite: factory.copyOnWrite === true };
}

/** An ingest module as registered: plain data, posted to every ingest thread. */
export interface IngestModuleSpec {
  plugin: string;
  /** The module's file URL (href). */
  url: string;
  options: JsonValue | undefined;
  /** Its place among all the handlers registered, so modules and taps run in plugin order. */
  order: number;
}

/** Checks a registration at once, so a bad URL or options fail setup naming the plugin. */
export function moduleSpec(plugin: string, url: URL | string, options: unknown, order: number): IngestModuleSpec {
  let href: string;
  try {
    href = new URL(url).href;
  } catch {
    throw new FaultlineError('FAULTLINE_ERR_HOOK_MODULE', `Plugin ${plugin}: an ingest module needs a file URL, not "${String(url)}"`);
  }
  if (options !== undefined && !isJson(options)) {
    throw new FaultlineError('FAULTLINE_ERR_HOOK_MODULE', `Plugin ${plugin}: the options of ingest module ${href} must be plain JSON`);
  }
  return { plugin, url: href, options: options as JsonValue | undefined, order };
}

/** Imports a module and calls its factory; a coded error naming the plugin and module otherwise. */
export async function loadIngestModule(spec: IngestModuleSpec): Promise<LoadedIngestModule> {
  const fail = (why: string, cause?: unknown) =>
    new FaultlineError('FAULTLINE_ERR_HOOK_MODULE', `Plugin ${spec.plugin}: ingest module ${spec.url} ${why}`, { cause });
  let factory: unknown;
  try {
    factory = (await import(spec.url)).default;
  } catch (err) {
    throw fail(`could not be imported: ${(err as Error)?.message}`, err);
  }
  if (typeof factory !== 'function') throw fail('must export default defineIngestModule((options) => handlers)');
  let handlers: unknown;
  try {
    handlers = await factory(spec.options);
  } catch (err) {
    throw fail(`failed to start: ${(err as Error)?.message}`, err);
  }
  if (typeof handlers !== 'object' || handlers === null) throw fail('must return an object of handlers');
  for (const [name, fn] of Object.entries(handlers)) {
    if (!(INGEST_HOOKS as readonly string[]).includes(name)) throw fail(`returns a handler for "${name}"; a module may handle only ${INGEST_HOOKS.join(', ')}`);
    if (typeof fn !== 'function') throw fail(`returns a ${typeof fn} for "${name}", not a function`);
  }
  return { handlers: handlers as IngestModuleHandlers, copyOnWrite: (factory as IngestModule).copyOnWrite === true };
}

function isJson(value: unknown, depth = 0): boolean {
  if (depth > 64) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every((v) => isJson(v, depth + 1));
}
