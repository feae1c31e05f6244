import { FaultlineError } from '@faultline/core';

/**
 * Opaque keyset cursors: base64url of a small JSON array `[sortValue, id]`. The sort value is a string
 * (an ISO time or a count written as a decimal string) so bigint counts survive JSON.
 */
export interface KeysetPosition {
  /** Which ordering the cursor belongs to, so a cursor from one sort is rejected by another. */
  kind: string;
  value: string;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.kind, position.value, position.id]), 'utf8').toString('base64url');
}

/** The cursor's position; `kind` may list several kinds the position may be read as (`kind` answers which). */
export function decodeCursor(cursor: string, kind: string | readonly string[]): KeysetPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,1000}$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !parsed.every((part) => typeof part === 'string' && part.length <= 200)
  ) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', 'Cursor is not one this server issued');
  }
  const [cursorKind, value, id] = parsed as [string, string, string];
  if (typeof kind === 'string' ? cursorKind !== kind : !kind.includes(cursorKind)) {
    throw new FaultlineError('FAULTLINE_ERR_QUERY_CURSOR', `Cursor belongs to another ordering (${cursorKind})`);
  }
  return { kind: cursorKind, value, id };
}

/**
 * A page from rows fetched with `LIMIT limit + 1`: the extra row only tells that there is more, and the
 * last row kept gives the next cursor.
 */
export function keysetPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (last: Row) => KeysetPosition,
): { data: Item[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map(toItem), nextCursor: more && last ? encodeCursor(positionOf(last)) : null };
}

/**
 * A page of a list read both ways from a position (rows fetched with `LIMIT limit + 1` in reading order).
 * Reading on (`backwards` false): `nextCursor` after the last row when there are more, `prevCursor` before
 * the first when the read began at a cursor. Reading back: the rows are turned to the list's order,
 * `prevCursor` when there are more before, `nextCursor` after the last row. An empty page keeps the
 * position it was asked from, so the way back stays open.
 */
export function twoWayPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  from: { backwards: boolean; position: { value: string; id: string } } | null,
  cursorAt: (position: { value: string; id: string }, backwards: boolean) => string,
  positionOf: (row: Row) => { value: string; id: string },
): { data: Item[]; nextCursor: string | null; prevCursor: string | null } {
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  if (from?.backwards) kept.reverse();
  const first = kept.length > 0 ? positionOf(kept[0]) : from?.position;
  const last = kept.length > 0 ? positionOf(kept[kept.length - 1]) : from?.position;
  const data = kept.map(toItem);
  if (from?.backwards) return { data, prevCursor: more && first ? cursorAt(first, true) : null, nextCursor: last ? cursorAt(last, false) : null };
  return { data, nextCursor: more && last ? cursorAt(last, false) : null, prevCursor: from && first ? cursorAt(first, true) : null };
}
