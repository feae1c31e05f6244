import { FaultlineError } from '@faultline/core';
import { ConnectionError, TimeoutError } from 'sequelize';

/** Network errors from the socket layer: the database is unreachable, not wrong. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE']);

/**
 * SQLSTATEs that mean "try again later": connection exceptions (class 08), server shutting down or
 * starting (57P01-57P03), too many connections (53300), deadlock or serialization failure (40P01, 40001),
 * statement or lock timeout (57014, 55P03).
 */
function isTransient(sqlState: string): boolean {
  return sqlState.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '40P01', '40001', '57014', '55P03'].includes(sqlState);
}

/** Turns "the database is unavailable" into a coded 503 (a retry is safe); leaves other errors alone. */
export function translateDatabaseError(err: unknown): unknown {
  if (err instanceof FaultlineError) return err;
  const e = err as { code?: unknown; parent?: { code?: unknown }; original?: { code?: unknown }; message?: string };
  const code = String(e?.code ?? e?.parent?.code ?? e?.original?.code ?? '');
  const unavailable =
    err instanceof ConnectionError ||
    err instanceof TimeoutError ||
    NETWORK_CODES.has(code) ||
    (/^[0-9A-Z]{5}$/.test(code) && isTransient(code)) ||
    /Connection terminated|Client has encountered a connection error/.test(e?.message ?? '');
  if (!unavailable) return err;
  return new FaultlineError('FAULTLINE_ERR_UNAVAILABLE', 'The database is unavailable; retry later', { retryAfter: 5, cause: err });
}

/** Runs `fn`, translating database-unavailable errors. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateDatabaseError(err);
  }
}
