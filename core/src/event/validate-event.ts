import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { IngestLimits } from '../config.js';
import { FaultlineError } from '../errors.js';
import { findShapeViolation, formatPath, shapeError } from './check-shape.js';
import { buildEventSchema } from './event-schema.js';
import type { IncomingEvent } from './types.js';

export type EventValidator = (value: unknown, pathPrefix?: string) => IncomingEvent;

/** Compiles the schema once; the returned function throws a FaultlineError naming the bad field's path. */
export function createEventValidator(limits: IngestLimits): EventValidator {
  // unicode: false makes maxLength count UTF-16 units (`.length`) instead of walking every string for code
  // points: a third of the validation time of a 50 KB event. The limits are hard bounds far above what
  // normalization keeps, so counting a surrogate pair as two changes nothing of use. Ajv calls the option
  // deprecated (and still honours it); that one notice is not worth a line in every host's log.
  const ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true, unicode: false, logger: quietAboutUnicode });
  const validate = ajv.compile(buildEventSchema(limits)) as ValidateFunction<IncomingEvent>;

  return function validateEvent(value, pathPrefix = '') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new FaultlineError('FAULTLINE_ERR_INGEST_SCHEMA', 'Event must be a JSON object', { path: pathPrefix || undefined });
    }
    const violation = findShapeViolation(value, limits.maxDepth, limits.maxObjectKeys);
    if (violation) throw shapeError(violation, limits.maxDepth, limits.maxObjectKeys, pathPrefix);
    if (!validate(value)) throw schemaError(validate.errors ?? [], pathPrefix);
    return value;
  };
}

const quietAboutUnicode = {
  log: console.log,
  warn: (...args: unknown[]) => (String(args[0]).startsWith('DEPRECATED: option unicode') ? undefined : console.warn(...args)),
  error: console.error,
};

function schemaError(errors: ErrorObject[], prefix: string): FaultlineError {
  // With anyOf, Ajv reports each branch; the deepest path says most about what is wrong.
  let best = errors[0];
  for (const e of errors) if (e.instancePath.length > (best?.instancePath.length ?? -1)) best = e;
  const segments = best ? best.instancePath.split('/').slice(1).map(unescapePointer) : [];
  const inner = formatPath(segments);
  const path = prefix ? (inner ? `${prefix}${inner.startsWith('[') ? '' : '.'}${inner}` : prefix) : inner;
  const what = best?.message ?? 'is invalid';
  return new FaultlineError('FAULTLINE_ERR_INGEST_SCHEMA', `${path || 'event'} ${what}`, { path: path || undefined });
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}
