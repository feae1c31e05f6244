import { Ajv, type JSONSchemaType } from 'ajv';
import { FaultlineError } from '../errors.js';
import { formatPath } from '../event/check-shape.js';

// One instance for request inputs: query strings arrive as strings, so numbers are coerced.
const ajv = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: false, allowUnionTypes: true, strict: false });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

/** Validates a route's params, query or body against a JSON schema; a 400 names the bad field. */
export function parseInput<T>(schema: JSONSchemaType<T> | object, value: unknown, where: 'query' | 'body' | 'params'): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const copy = value && typeof value === 'object' ? { ...(value as object) } : value;
  if (!validate(copy)) {
    const err = validate.errors?.[0];
    const segments = err ? err.instancePath.split('/').slice(1) : [];
    if (err?.keyword === 'required') segments.push(String(err.params.missingProperty));
    if (err?.keyword === 'additionalProperties') segments.push(String(err.params.additionalProperty));
    const path = formatPath(segments) || where;
    throw new FaultlineError('FAULTLINE_ERR_REQUEST_INVALID', `${where} ${path === where ? '' : `${path} `}${err?.message ?? 'is invalid'}`, { path });
  }
  return copy as T;
}
