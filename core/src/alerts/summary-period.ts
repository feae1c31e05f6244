/**
 * Summary periods in a time zone, with Intl only: the last local `hour:00` (daily) or the last local
 * `weekday` at `hour:00` (weekly) at or before now, and the period that ended there.
 */

const DAY_MS = 86_400_000;

interface LocalParts {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(t: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, Number(x.value)]));
  return { y: p.year, m: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second };
}

/** The zone's offset from UTC at `t`, in milliseconds. */
function offsetMs(t: number, timeZone: string): number {
  const p = partsIn(new Date(t), timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000;
}

/** The instant of a local wall time (`day` is a UTC date carrying the local calendar date). */
function zoned(day: Date, hour: number, timeZone: string): Date {
  const wall = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour);
  let t = wall - offsetMs(wall, timeZone);
  t = wall - offsetMs(t, timeZone); // again at the guess, for a DST change between the two
  return new Date(t);
}

export interface SummaryPeriod {
  /** When this period's summary is due (the end of the period). */
  boundary: Date;
  from: Date;
  /** The period before, for the trend. */
  previousFrom: Date;
}

export function lastSummaryPeriod(now: Date, trigger: { period: 'daily' | 'weekly'; hour: number; timezone: string; weekday?: number }): SummaryPeriod {
  const local = partsIn(now, trigger.timezone);
  const today = Date.UTC(local.y, local.m - 1, local.d);
  const days = trigger.period === 'daily' ? 1 : 7;
  for (let back = 0; back <= 7; back++) {
    const day = new Date(today - back * DAY_MS);
    if (trigger.period === 'weekly' && day.getUTCDay() !== (trigger.weekday ?? 1)) continue;
    const boundary = zoned(day, trigger.hour, trigger.timezone);
    if (boundary.getTime() > now.getTime()) continue;
    return {
      boundary,
      from: zoned(new Date(day.getTime() - days * DAY_MS), trigger.hour, trigger.timezone),
      previousFrom: zoned(new Date(day.getTime() - 2 * days * DAY_MS), trigger.hour, trigger.timezone),
    };
  }
  throw new Error('unreachable: a week always has the weekday');
}
