import type { Logger } from 'pino';
import { isFaultlineError } from '../errors.js';

/**
 * Logs a storage outage as two lines, when it starts and when it ends (with how many batches failed and
 * for how long), instead of one error line with a stack for every failed batch: a 15 s outage used to
 * log hundreds. Each failure's stack is kept at debug. Other batch failures are logged each time.
 */
export class OutageLog {
  private since: number | null = null;
  private failures = 0;

  constructor(private readonly log: Logger) {}

  failed(err: unknown, size: number): void {
    if (!isFaultlineError(err) || err.code !== 'FAULTLINE_ERR_UNAVAILABLE') {
      this.log.error({ err, size }, 'batch failed');
      return;
    }
    this.failures++;
    if (this.since === null) {
      this.since = Date.now();
      const cause = err.cause instanceof Error ? err.cause.message : undefined;
      this.log.error({ code: err.code, cause }, 'storage unavailable: batches are failing until it is back');
    }
    this.log.debug({ err, size }, 'batch failed: storage unavailable');
  }

  succeeded(): void {
    if (this.since === null) return;
    this.log.warn({ failedBatches: this.failures, seconds: Math.round((Date.now() - this.since) / 100) / 10 }, 'storage is back');
    this.since = null;
    this.failures = 0;
  }
}
