import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FaultlineOptions } from '../faultline-options.js';
import { FaultlineError } from '../errors.js';
import type { FaultlinePlugin } from '../plugins/plugin-types.js';
import { withRedisPlugin } from './shared-queue.js';

/** A plugin named by package, with the options its factory takes. */
export type PluginSpec = string | [string, Record<string, unknown>?];

/** `faultline.config.{js,mjs,json}`: FaultlineOptions with plugins named by package. */
export interface FileConfig extends Omit<FaultlineOptions, 'plugins' | 'logger' | 'authorize'> {
  plugins?: PluginSpec[];
  port?: number;
  /** The URL people and SDKs reach Faultline at, for DSNs. */
  publicUrl?: string;
}

const CONFIG_NAMES = ['faultline.config.js', 'faultline.config.mjs', 'faultline.config.json'];
export const DEFAULT_STORAGE_PLUGIN = '@faultline/plugin-storage-postgres';
const STORAGE_PLUGINS = [DEFAULT_STORAGE_PLUGIN];

/** Reads the config file given, or the first of CONFIG_NAMES in `cwd`, or an empty config. */
export async function readConfigFile(file: string | undefined, cwd = process.cwd()): Promise<FileConfig> {
  const found = file ? path.resolve(cwd, file) : CONFIG_NAMES.map((n) => path.join(cwd, n)).find((p) => existsSync(p));
  if (!found) return {};
  if (!existsSync(found)) throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `Config file ${found} does not exist`);
  let value: unknown;
  try {
    value = found.endsWith('.json') ? JSON.parse(readFileSync(found, 'utf8')) : (await import(pathToFileURL(found).href)).default;
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `Config file ${found} could not be read: ${(err as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `Config file ${found} must hold an object`);
  }
  return value as FileConfig;
}

/**
 * Loads plugins by package name, so core never imports a plugin. A package's default export is its
 * factory. With no storage plugin listed, the Postgres one is added (embedded without a URL).
 */
export async function loadPlugins(specs: PluginSpec[] = [], cwd = process.cwd()): Promise<FaultlinePlugin[]> {
  const list = specs.map((s, i) => normalizeSpec(s, i));
  if (!list.some(([name]) => STORAGE_PLUGINS.includes(name))) list.unshift([DEFAULT_STORAGE_PLUGIN, {}]);
  const plugins: FaultlinePlugin[] = [];
  for (const [name, options] of withRedisPlugin(list)) {
    const mod = await importFrom(name, cwd);
    const factory = mod.default;
    if (typeof factory !== 'function') {
      throw new FaultlineError('FAULTLINE_ERR_PLUGIN_LOAD', `Package ${name} has no default export that makes a plugin`);
    }
    plugins.push(factory(options ?? {}));
  }
  return plugins;
}

function normalizeSpec(spec: PluginSpec, index: number): [string, Record<string, unknown> | undefined] {
  if (typeof spec === 'string') return [spec, undefined];
  if (Array.isArray(spec) && typeof spec[0] === 'string') return [spec[0], spec[1]];
  throw new FaultlineError('FAULTLINE_ERR_CONFIG_INVALID', `plugins[${index}] must be a package name or [name, options]`, {
    path: `plugins[${index}]`,
  });
}

/** Imports a package as core sees it, falling back to where the user's project (cwd) would find it. */
async function importFrom(name: string, cwd: string): Promise<{ default?: unknown }> {
  try {
    return await import(name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw pluginLoadError(name, err);
  }
  try {
    const resolved = createRequire(path.join(cwd, 'package.json')).resolve(name);
    return await import(pathToFileURL(resolved).href);
  } catch (err) {
    throw pluginLoadError(name, err);
  }
}

function pluginLoadError(name: string, err: unknown): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_PLUGIN_LOAD', `Plugin package ${name} could not be loaded: ${(err as Error).message}`, {
    cause: err,
  });
}
