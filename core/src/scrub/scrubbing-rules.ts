import { RE2 } from 're2-wasm';
import type { ProjectScrubbing, ScrubbingRules } from '../providers/scrubbing.js';

/**
 * A project's own scrubbing rules (providers/scrubbing.ts), on top of the defaults every project gets
 * (default-rules.ts): set through `PUT <mount>/api/v1/projects/:id/scrubbing` (http/scrubbing-input.ts),
 * kept by the storage provider, and handed to the ingest threads with each job.
 */
export type { ProjectScrubbing, ScrubbingRules };

/** The name core's scrubbing handlers carry, in hook failures and metrics. */
export const CORE = '@faultline/core';

export const DEFAULT_SCRUBBING_RULES: ScrubbingRules = Object.freeze({ keys: [], patterns: [], emails: false, ipAddresses: false }) as ScrubbingRules;

/** A project without rules of its own: the defaults only, version 0. */
export function defaultProjectScrubbing(): ProjectScrubbing {
  return { ...DEFAULT_SCRUBBING_RULES, keys: [], patterns: [], version: 0, updatedAt: null };
}

/**
 * A value pattern as RE2 (re2-wasm): matching takes time linear in the input whatever the pattern, so
 * no pattern a project sets can stall an ingest thread (catastrophic backtracking cannot happen).
 */
export function compilePattern(pattern: string): RE2 {
  return new RE2(pattern, 'gu');
}
