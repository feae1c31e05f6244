import type { Router } from 'express';
import type { Logger } from 'pino';
import semver from 'semver';
import type { FaultlineConfig } from '../config.js';
import { FaultlineError, isFaultlineError } from '../errors.js';
import type { AlertChannelRegistry } from '../alert-config/alert-channel-registry.js';
import type { HookRegistry } from '../hooks/hook-registry.js';
import type { Metrics } from '../metrics.js';
import type { ApiOperation } from '../openapi/api-operation.js';
import type { FaultlinePlugin } from './plugin-types.js';
import type { ProviderRegistry } from './provider-registry.js';

export const CORE_VERSION = '0.1.0';

/** Checks each plugin's shape, core range and requirements, then runs `setup` in the order given. */
export async function setupPlugins(
  plugins: FaultlinePlugin[],
  deps: {
    hooks: HookRegistry;
    providers: ProviderRegistry;
    alertChannels: AlertChannelRegistry;
    log: Logger;
    metrics: Metrics;
    config: FaultlineConfig;
    routers: Router[];
    /** The operations each plugin declared with its routes, for the OpenAPI document. */
    operations: { plugin: string; operations: ApiOperation[] }[];
  },
): Promise<void> {
  const seen = new Set<string>();
  for (const plugin of plugins) {
    checkShape(plugin);
    if (seen.has(plugin.name)) throw new FaultlineError('FAULTLINE_ERR_PLUGIN_DUPLICATE', `Plugin ${plugin.name} is listed twice`);
    if (!semver.satisfies(CORE_VERSION, plugin.core, { includePrerelease: true })) {
      throw new FaultlineError(
        'FAULTLINE_ERR_PLUGIN_CORE_VERSION',
        `Plugin ${plugin.name} supports @faultline/core ${plugin.core}, this is ${CORE_VERSION}`,
      );
    }
    for (const required of plugin.requires ?? []) {
      if (!seen.has(required)) {
        throw new FaultlineError(
          'FAULTLINE_ERR_PLUGIN_MISSING_DEPENDENCY',
          `Plugin ${plugin.name} requires ${required}; list ${required} before it`,
        );
      }
    }
    const log = deps.log.child({ plugin: plugin.name });
    try {
      await plugin.setup({
        hooks: deps.hooks.forPlugin(plugin.name),
        provide: (service, impl) => deps.providers.provide(plugin.name, service, impl),
        need: (service) => deps.providers.need(service),
        alertChannel: (channel) => deps.alertChannels.register(plugin.name, channel),
        routes: (router, operations) => {
          deps.routers.push(router);
          if (operations?.length) deps.operations.push({ plugin: plugin.name, operations });
        },
        log,
        metrics: deps.metrics,
        config: deps.config,
      });
    } catch (err) {
      if (isFaultlineError(err) && err.code !== 'FAULTLINE_ERR_INTERNAL') throw err;
      throw new FaultlineError('FAULTLINE_ERR_PLUGIN_SETUP', `Plugin ${plugin.name} failed to set up: ${(err as Error)?.message}`, { cause: err });
    }
    seen.add(plugin.name);
  }
}

function checkShape(plugin: FaultlinePlugin): void {
  const name = (plugin as { name?: unknown })?.name;
  const label = typeof name === 'string' ? name : JSON.stringify(name ?? null);
  if (typeof name !== 'string' || !name) throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', 'A plugin has no name');
  if (typeof plugin.setup !== 'function') throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', `Plugin ${label} has no setup()`);
  if (typeof plugin.core !== 'string' || !semver.validRange(plugin.core)) {
    throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', `Plugin ${label} must name the core versions it supports (core: '^0.1.0')`);
  }
}
