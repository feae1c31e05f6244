import { pino, type Logger } from 'pino';
import { createFaultline, type Faultline } from '../create-faultline.js';
import { readInstanceUrl } from './instance-file.js';
import { loadPlugins, readConfigFile, type FileConfig } from './load-config.js';

export interface CliContext {
  config: FileConfig;
  log: Logger;
}

/**
 * Logs go to stderr, so `--json` output on stdout stays machine-readable. One-shot commands log only
 * warnings by default, so a failure is one line.
 */
export function cliLogger(level = 'info'): Logger {
  return pino({ name: 'faultline', level: process.env.FAULTLINE_LOG_LEVEL ?? level }, pino.destination(2));
}

export async function readCliConfig(file: string | undefined, level?: string): Promise<CliContext> {
  return { config: await readConfigFile(file), log: cliLogger(level) };
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

/** For DSNs: FAULTLINE_PUBLIC_URL, the config's `publicUrl`, a running host's instance file, else `faultline serve`'s own URL. */
export function publicUrl(config: FileConfig, port?: number): string {
  return (
    process.env.FAULTLINE_PUBLIC_URL ??
    config.publicUrl ??
    readInstanceUrl() ??
    `http://localhost:${port ?? process.env.PORT ?? config.port ?? 3000}`
  );
}
