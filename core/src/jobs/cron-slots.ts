import { Cron } from 'croner';
import { FaultlineError } from '../errors.js';

/** The slots of a cron expression read in an IANA time zone; a bad expression or zone is a coded error. */
export class CronSlots {
  private readonly cron: Cron;

  constructor(name: string, expression: string, timezone: string) {
    try {
      this.cron = new Cron(expression, { timezone, paused: true });
      this.cron.nextRun(); // a bad time zone only shows when a date is computed
    } catch (err) {
      throw new FaultlineError('FAULTLINE_ERR_JOB_SCHEDULE_INVALID', `Schedule "${name}": ${(err as Error).message}`, { cause: err });
    }
  }

  /** The first slot strictly after `after`, or null when the expression has no more. */
  next(after: Date): Date | null {
    return this.cron.nextRun(after);
  }
}
