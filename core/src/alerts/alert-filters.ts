import { LEVELS, type Level } from '../event/types.js';
import type { AlertFilters } from '../providers/alert-rules.js';

/** fatal > error > warning > info > debug. */
export function atOrAbove(level: Level, threshold: Level): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(threshold);
}

/** The filters that need no event payload: environment, release, level. */
export function passesFields(filters: AlertFilters, event: { level: Level; environment: string | null; release: string | null }): boolean {
  if (filters.level && !atOrAbove(event.level, filters.level)) return false;
  if (filters.environment && !(event.environment !== null && filters.environment.includes(event.environment))) return false;
  if (filters.release && !(event.release !== null && filters.release.includes(event.release))) return false;
  return true;
}

/** Every named tag has one of its listed values. */
export function passesTags(filters: AlertFilters, tags: Record<string, unknown> | undefined): boolean {
  for (const [name, values] of Object.entries(filters.tags ?? {})) {
    const value = tags?.[name];
    if (typeof value !== 'string' || !values.includes(value)) return false;
  }
  return true;
}

export function hasTagFilters(filters: AlertFilters): boolean {
  return Object.keys(filters.tags ?? {}).length > 0;
}
