import type { Logger } from 'pino';

/** A logger that drops everything, for `new PostgresStorage()` used without a Faultline context. */
export function silentLogger(): Logger {
  const noop = () => undefined;
  const logger: Record<string, unknown> = {
    level: 'silent',
    fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop,
    isLevelEnabled: () => false,
  };
  logger.child = () => logger;
  return logger as unknown as Logger;
}
