import { FaultlineError } from '../errors.js';

/**
 * Rejects values nested deeper than `maxDepth` or objects with more than `maxKeys` keys. JSON.parse
 * accepts any depth; later steps (and Postgres) do not, so this runs before anything else walks the event.
 * Returns the path of the first offence (as `extra.a.b[3]`) or null.
 */
export function findShapeViolation(value: unknown, maxDepth: number, maxKeys: number): { path: string; code: 'depth' | 'keys' } | null {
  const found = walk(value, 0, maxDepth, maxKeys);
  if (!found) return null;
  return { path: formatPath(found.path.reverse()), code: found.code };
}

function walk(value: unknown, depth: number, maxDepth: number, maxKeys: number): { path: (string | number)[]; code: 'depth' | 'keys' } | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth >= maxDepth) return { path: [], code: 'depth' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (item !== null && typeof item === 'object') {
        const found = walk(item, depth + 1, maxDepth, maxKeys);
        if (found) {
          found.path.push(i);
          return found;
        }
      }
    }
    return null;
  }
  let keys = 0;
  for (const key in value) {
    if (++keys > maxKeys) return { path: [], code: 'keys' };
    const item = (value as Record<string, unknown>)[key];
    if (item !== null && typeof item === 'object') {
      const found = walk(item, depth + 1, maxDepth, maxKeys);
      if (found) {
        found.path.push(key);
        return found;
      }
    }
  }
  return null;
}

/** `['exception','values',0,'stacktrace']` -> `exception.values[0].stacktrace`. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

export function shapeError(violation: { path: string; code: 'depth' | 'keys' }, maxDepth: number, maxKeys: number, prefix = ''): FaultlineError {
  const path = prefix && violation.path ? `${prefix}${violation.path.startsWith('[') ? '' : '.'}${violation.path}` : prefix || violation.path;
  return violation.code === 'depth'
    ? new FaultlineError('FAULTLINE_ERR_INGEST_TOO_DEEP', `Value is nested more than ${maxDepth} levels deep`, { path })
    : new FaultlineError('FAULTLINE_ERR_INGEST_SCHEMA', `Object has more than ${maxKeys} keys`, { path });
}
