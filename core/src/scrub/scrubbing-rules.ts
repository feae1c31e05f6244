import { RE2 } from 're2-wasm';
import { FaultlineError } from '../errors.js';
import { parseInput } from '../http/parse-input.js';

/**
 * A project's own scrubbing rules, on top of the defaults every project gets (default-rules.ts). Set
 * through `PUT <mount>/api/v1/projects/:id/scrubbing`, kept by the storage provider, and handed to the
 * ingest threads with each job.
 */
export interface ScrubbingRules {
  /** More key names to filter: matched like the default ones (case and `-`/`_` ignored, anywhere in the key). */
  keys: string[];
  /** Value patterns (RE2 syntax: linear time, no back-references or look-around); each match becomes `[Filtered]`. */
  patterns: string[];
  /** Filter e-mail addresses in every string (user.email included). */
  emails: boolean;
  /** Filter IPv4 and IPv6 addresses in every string (user.ip_address included). */
  ipAddresses: boolean;
}

/** The rules as stored: `version` grows with every change, so a thread knows when to compile them again. */
export interface ProjectScrubbing extends ScrubbingRules {
  version: number;
  /** ISO time of the last change; null for a project that never set any. */
  updatedAt: string | null;
}

/** The name core's scrubbing handlers carry, in hook failures and metrics. */
export const CORE = '@faultline/core';

export const DEFAULT_SCRUBBING_RULES: ScrubbingRules = Object.freeze({ keys: [], patterns: [], emails: false, ipAddresses: false }) as ScrubbingRules;

/** A project without rules of its own: the defaults only, version 0. */
export function defaultProjectScrubbing(): ProjectScrubbing {
  return { ...DEFAULT_SCRUBBING_RULES, keys: [], patterns: [], version: 0, updatedAt: null };
}

const rulesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    keys: { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 100, pattern: '[A-Za-z0-9]' } },
    patterns: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 500 } },
    emails: { type: 'boolean' },
    ipAddresses: { type: 'boolean' },
  },
};

/** Validates a PUT body (missing fields take the defaults); a 400 names the bad field, a bad pattern by index. */
export function parseScrubbingRules(body: unknown): ScrubbingRules {
  // Request inputs coerce types (parse-input.ts); here a number is not a key name.
  for (const field of ['keys', 'patterns'] as const) {
    const list = (body as Record<string, unknown> | null)?.[field];
    const at = Array.isArray(list) ? list.findIndex((item) => typeof item !== 'string') : -1;
    if (at >= 0) throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `body ${field}[${at}] must be a string`, { path: `${field}[${at}]` });
  }
  const input = parseInput<Partial<ScrubbingRules>>(rulesSchema, body ?? {}, 'body');
  const rules: ScrubbingRules = {
    keys: input.keys ?? [],
    patterns: input.patterns ?? [],
    emails: input.emails ?? false,
    ipAddresses: input.ipAddresses ?? false,
  };
  rules.patterns.forEach((pattern, i) => {
    try {
      compilePattern(pattern);
    } catch (err) {
      throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `body patterns[${i}] is not a pattern RE2 accepts: ${(err as Error).message}`, {
        path: `patterns[${i}]`,
      });
    }
  });
  return rules;
}

/**
 * A value pattern as RE2 (re2-wasm): matching takes time linear in the input whatever the pattern, so
 * no pattern a project sets can stall an ingest thread (catastrophic backtracking cannot happen).
 */
export function compilePattern(pattern: string): RE2 {
  return new RE2(pattern, 'gu');
}
