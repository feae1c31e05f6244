import type { Router } from 'express';
import type { Logger } from 'pino';
import type { FaultlineConfig } from '../config.js';
import type { HookTaps } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import type { ApiOperation } from '../openapi/api-operation.js';
import type { AlertChannel } from '../providers/alert-channel.js';
import type { ArchiveProvider } from '../providers/archive.js';
import type { JobsProvider } from '../providers/jobs.js';
import type { PubSubProvider } from '../providers/pubsub.js';
import type { QueueProvider } from '../providers/queue.js';
import type { RateLimiterProvider } from '../providers/rate-limiter.js';
import type { SearchProvider } from '../providers/search.js';
import type { StorageProvider } from '../providers/storage.js';

/** The services a provider hook can hold; exactly one implementation each. */
export interface ProviderMap {
  storage: StorageProvider;
  queue: QueueProvider;
  rateLimiter: RateLimiterProvider;
  pubsub: PubSubProvider;
  jobs: JobsProvider;
  search: SearchProvider;
  /** No default: an archive plugin provides it. */
  archive: ArchiveProvider;
}
export type ProviderName = keyof ProviderMap;

export interface PluginContext {
  hooks: HookTaps;
  provide<S extends ProviderName>(service: S, impl: ProviderMap[S]): void;
  /** The provider, or a coded error if none is registered (yet). */
  need<S extends ProviderName>(service: S): ProviderMap[S];
  /** Registers an alert channel type (`email`, `slack`, ...); many per Faultline, one per type. */
  alertChannel(channel: AlertChannel<any>): void;
  /**
   * Extra routes mounted under the Faultline router, with the operations that describe them in
   * `<mount>/openapi.json` (paths relative to the mount, as `/widgets.js`).
   */
  routes(router: Router, operations?: ApiOperation[]): void;
  log: Logger;
  metrics: Metrics;
  config: Readonly<FaultlineConfig>;
}

export interface FaultlinePlugin {
  /** The package name, as '@faultline/plugin-storage-postgres'. */
  name: string;
  /** The semver range of @faultline/core this plugin works with. */
  core: string;
  /** Plugins that must be set up before this one. */
  requires?: string[];
  setup(ctx: PluginContext): void | Promise<void>;
  start?(): Promise<void>;
  /** Drains and closes everything the plugin opened. */
  stop?(): Promise<void>;
}

/** Types a plugin value; plugins are made by factories that take options: `storagePostgres({ url })`. */
export function definePlugin(plugin: FaultlinePlugin): FaultlinePlugin {
  return plugin;
}
