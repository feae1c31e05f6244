import { FaultlineError } from '../errors.js';
import type { RetentionPolicy } from '../providers/storage.js';

/** A change to a policy: any of its fields; the rest stay as they are. */
export type RetentionPatch = Partial<RetentionPolicy>;

/** Upper bound on days: ten years; anything longer is a typo, and it keeps date arithmetic in range. */
export const MAX_RETENTION_DAYS = 3650;

export const retentionPatchSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hotDays: { type: 'integer', minimum: 1, maximum: MAX_RETENTION_DAYS },
    archive: { type: 'boolean' },
    deleteAfterDays: { type: 'integer', minimum: 1, maximum: MAX_RETENTION_DAYS },
    maxEvents: { type: ['integer', 'null'], minimum: 1 },
  },
} as const;

/** The policy after the patch, checked as a whole (delete-after cannot come before the hot period ends). */
export function applyRetentionPatch(current: RetentionPolicy, patch: RetentionPatch): RetentionPolicy {
  const next: RetentionPolicy = { ...current, ...patch };
  if (next.deleteAfterDays < next.hotDays) {
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `deleteAfterDays (${next.deleteAfterDays}) must be at least hotDays (${next.hotDays})`, {
      path: patch.deleteAfterDays === undefined ? 'hotDays' : 'deleteAfterDays',
    });
  }
  return next;
}
