import { FaultlineError } from '../../errors.js';

/**
 * Opaque keyset cursors: base64url of `[kind, sortValue, id]`. The kind names the ordering, so a cursor
 * from one sort is refused by another, as the Postgres storage does.
 */
export function encodeCursor(kind: string, value: string, id: string): string {
  return Buffer.from(JSON.stringify([kind, value, id]), 'utf8').toString('base64url');
}

/** The cursor's position; `kind` may list several kinds a position may be read as (it answers which). */
export function decodeCursor(cursor: string, kind: string | readonly string[]): { kind: string; value: string; id: string } {
  const invalid = () => new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string' && p.length <= 200)) {
    throw invalid();
  }
  const [cursorKind, value, id] = parsed as [string, string, string];
  if (typeof kind === 'string' ? cursorKind !== kind : !kind.includes(cursorKind)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', `Cursor belongs to another ordering (${cursorKind})`);
  }
  return { kind: cursorKind, value, id };
}
