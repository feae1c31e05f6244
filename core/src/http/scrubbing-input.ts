import { FaultlineError } from '../errors.js';
import type { ScrubbingRules } from '../providers/scrubbing.js';
import { compilePattern } from '../scrub/scrubbing-rules.js';
import { parseInput } from './parse-input.js';

export const scrubbingRulesSchema = {
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
  const input = parseInput<Partial<ScrubbingRules>>(scrubbingRulesSchema, body ?? {}, 'body');
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

