import { FaultlineError } from '../../errors.js';

/** The limits and id rules the Postgres storage applies, so both answer bad input alike. */
export const MAX_PAGE_SIZE = 1000;
export const MAX_STATS_POINTS = 5000;

/** Event ids are kept as 32 lowercase hex digits (a uuid with or without dashes is accepted). */
export function normalizeEventId(id: string): string | null {
  const hex = String(id).replaceAll('-', '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) ? hex : null;
}

/** Issue ids are positive 64-bit integers written in decimal. */
export function isIssueId(id: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(id) && BigInt(id) <= 9_223_372_036_854_775_807n;
}

export const isSerial = (n: number) => Number.isInteger(n) && n > 0 && n <= 2_147_483_647;

export function pageSize(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `limit must be an integer from 1 to ${MAX_PAGE_SIZE}`, {
      path: 'limit',
    });
  }
  return limit;
}

/** Numeric order of decimal ids without converting them (they may exceed 2^53). */
export const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
