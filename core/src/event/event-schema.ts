import type { IngestLimits } from '../config.js';
import { LEVELS } from './types.js';

/**
 * The JSON Schema of an incoming event. Unknown fields are allowed and kept; known fields have types and
 * hard size limits. Free-form objects (extra, contexts, data) are bounded by the depth walk, not here.
 */
export function buildEventSchema(limits: IngestLimits): object {
  const hardString = { type: 'string', maxLength: limits.maxStringLength * 4 };
  const shortString = { type: 'string', maxLength: 1024 };
  const freeObject = { type: 'object' };
  const stringMap = {
    type: 'object',
    maxProperties: limits.maxObjectKeys,
    additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
  };
  const timestamp = { type: ['string', 'number'], maxLength: 64 };
  const level = { type: 'string', enum: [...LEVELS, 'warn', 'critical', 'log'] };
  const contextLines = { type: 'array', maxItems: 50, items: { type: ['string', 'null'] } };

  const frame = {
    type: 'object',
    properties: {
      filename: hardString,
      abs_path: hardString,
      function: hardString,
      module: hardString,
      lineno: { type: 'integer', minimum: 0 },
      colno: { type: 'integer', minimum: 0 },
      in_app: { type: 'boolean' },
      context_line: { type: ['string', 'null'] },
      pre_context: contextLines,
      post_context: contextLines,
      vars: freeObject,
    },
  };
  const exceptionValue = {
    type: 'object',
    properties: {
      type: hardString,
      value: { type: ['string', 'null'], maxLength: limits.maxStringLength * 4 },
      module: { type: ['string', 'null'] },
      mechanism: { type: 'object', properties: { type: shortString, handled: { type: ['boolean', 'null'] } } },
      stacktrace: {
        type: ['object', 'null'],
        properties: { frames: { type: 'array', maxItems: limits.maxFrames, items: frame } },
      },
    },
  };
  const breadcrumb = {
    type: 'object',
    properties: {
      timestamp,
      type: shortString,
      category: shortString,
      message: { type: ['string', 'null'], maxLength: limits.maxStringLength * 4 },
      level,
      data: { type: ['object', 'null'] },
    },
  };

  return {
    type: 'object',
    properties: {
      event_id: { type: 'string', pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' },
      timestamp,
      level,
      platform: shortString,
      logger: shortString,
      message: {
        anyOf: [
          hardString,
          {
            type: 'object',
            properties: {
              formatted: hardString,
              message: hardString,
              params: { type: 'array', maxItems: 100 },
            },
          },
        ],
      },
      exception: {
        type: 'object',
        properties: { values: { type: 'array', maxItems: limits.maxExceptionValues, items: exceptionValue } },
      },
      breadcrumbs: {
        anyOf: [
          { type: 'array', maxItems: limits.maxBreadcrumbs * 5, items: breadcrumb },
          {
            type: 'object',
            properties: { values: { type: 'array', maxItems: limits.maxBreadcrumbs * 5, items: breadcrumb } },
          },
        ],
      },
      user: {
        type: 'object',
        properties: {
          id: { type: ['string', 'number'], maxLength: 1024 },
          email: shortString,
          username: shortString,
          ip_address: { type: ['string', 'null'], maxLength: 64 },
        },
      },
      tags: {
        anyOf: [
          stringMap,
          { type: 'array', maxItems: limits.maxObjectKeys, items: { type: 'array', minItems: 2, maxItems: 2 } },
        ],
      },
      contexts: { type: 'object', maxProperties: limits.maxObjectKeys, additionalProperties: { type: ['object', 'null'] } },
      release: { type: 'string', maxLength: 250 },
      environment: { type: 'string', maxLength: 64 },
      server_name: shortString,
      transaction: shortString,
      request: {
        type: 'object',
        properties: {
          url: hardString,
          method: { type: 'string', maxLength: 32 },
          headers: {
            anyOf: [stringMap, { type: 'array', maxItems: limits.maxObjectKeys }],
          },
          query_string: { type: ['string', 'object', 'array'] },
        },
      },
      sdk: { type: 'object', properties: { name: shortString, version: shortString } },
      fingerprint: { type: 'array', maxItems: 32, items: { type: ['string', 'number'], maxLength: 1024 } },
      extra: freeObject,
    },
  };
}
