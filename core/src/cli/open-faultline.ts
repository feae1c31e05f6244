import { pino, type Logger } from 'pino';
import { createFaultline, type Faultline } from '../create-faultline.js';
import { loadPlugins, readConfigFile, type FileConfig } from './load-config.js';

export interface CliContext {
  config: FileConfig;
  log: Logger;
}

/** Logs go to stderr, so `--json` output on stdout stays machine-readable. */
export function cliLogger(): Logger {
  return pino({ name: 'faultline', level: process.env.FAULTLINE_LOG_LEVEL ?? 'info' }, pino.destination(2));
}

export async function readCliConfig(file: string | undefined): Promise<CliContext> {
  return { config: await readConfigFile(file), log: cliLogger() };
}

/** A Faultline from the config file, for commands; `processEvents: false` for one-shot admin commands. */
export async function openFaultline(ctx: CliContext, overrides: { processEvents?: boolean; log?: Logger } = {}): Promise<Faultline> {
  const { plugins, port: _port, publicUrl: _publicUrl, ...options } = ctx.config;
  return createFaultline({
    ...options,
    ...(overrides.processEvents === undefined ? {} : { processEvents: overrides.processEvents }),
    logger: overrides.log ?? ctx.log,
    plugins: await loadPlugins(plugins),
  });
}

export function publicUrl(config: FileConfig, port?: number): string {
  return process.env.FAULTLINE_PUBLIC_URL ?? config.publicUrl ?? `http://localhost:${port ?? process.env.PORT ?? config.port ?? 3000}`;
}
