import { FaultlineError } from '../errors.js';

/** Option values from the command line, checked with a coded error naming the option. */

export function positiveIntegerArg(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `--${name} must be a positive whole number`, { path: name });
  }
  return n;
}

/** A UTC day `YYYY-MM-DD` as the Date of its start. */
export function dayArg(name: string, value: string | undefined): Date {
  const t = value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!t || Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== value) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `--${name} must be a day as YYYY-MM-DD`, { path: name });
  }
  return t;
}

export function onOffArg(name: string, value: string): boolean {
  if (/^(on|true|yes|1)$/i.test(value)) return true;
  if (/^(off|false|no|0)$/i.test(value)) return false;
  throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `--${name} must be on or off`, { path: name });
}

/** Bytes for people: 1.5 MB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i += 1;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
