/**
 * How a route describes itself for the OpenAPI document: the route module exports its operations next to
 * its handlers, with the very schemas `parseInput` validates with, so the document cannot drift from them.
 */
export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'options';

/** Which credential an operation takes (the security schemes of build-openapi.ts). */
export type ApiSecurity = 'secretToken' | 'publicKey' | 'sentryKey' | 'sentryKeyOrDsn' | 'none';

export interface ApiHeader {
  description: string;
  schema: object;
}

export interface ApiResponse {
  description: string;
  /** The body's JSON schema (or a string schema for text bodies); none for an empty body. */
  schema?: object;
  /** Default `application/json`. */
  contentType?: string;
  headers?: Record<string, ApiHeader>;
}

export interface ApiOperation {
  method: ApiMethod;
  /** Relative to where the router is mounted, with OpenAPI's `{name}` parameters: `/api/v1/issues/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: ApiSecurity;
  /** The schemas the route passes to parseInput for `req.params` and `req.query`. */
  params?: object;
  query?: object;
  body?: { schema: object; contentTypes?: string[]; required?: boolean; description?: string };
  responses: Record<number, ApiResponse>;
}

const RETRY_AFTER: ApiHeader = { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 0 } };

/** The coded error body every failure answers with (core/src/errors.ts). */
export const ERROR_BODY = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', pattern: '^FAULTLINE_ERR_[A-Z0-9_]+$' },
        message: { type: 'string' },
        path: { type: 'string', description: 'The field the error is about, as `events[0].exception`' },
      },
    },
  },
};

const ERROR_MEANINGS: Record<number, string> = {
  400: 'Invalid input; `error.path` names the field',
  401: 'No credential, or one that is not valid',
  403: 'The credential may not do this (role, project, origin, cross-site)',
  404: 'Not found, or not visible to this credential',
  409: 'Already exists',
  410: 'The event was archived (the message says where and how to restore it) or expired',
  413: 'Body, event or batch too large',
  415: 'Unsupported content type or encoding',
  429: 'Rate limited; Retry-After says when to come back',
  500: 'A plugin’s ingest hook failed on the event (FAULTLINE_ERR_INGEST_HOOK_FAILED); it was not stored',
  503: 'Not ready, shutting down, or a dependency is unavailable; Retry-After says when to come back',
};

/** Coded error answers for the given statuses; 429 and 503 carry Retry-After. */
export function errorResponses(...statuses: number[]): Record<number, ApiResponse> {
  const out: Record<number, ApiResponse> = {};
  for (const status of statuses) {
    out[status] = {
      description: ERROR_MEANINGS[status] ?? 'Error',
      schema: ERROR_BODY,
      ...(status === 429 || status === 503 ? { headers: { 'Retry-After': RETRY_AFTER } } : {}),
    };
  }
  return out;
}

/** The errors of any call with a secret token, plus `more` (a JSON body adds 413 and 415: express.json's size limit and encodings). */
export function tokenErrors(...more: number[]): Record<number, ApiResponse> {
  return errorResponses(401, 403, 503, ...more);
}

/** The CORS preflight of an ingest route, which SDKs in browsers on other origins send before a POST. */
export function preflightOperation(path: string, operationId: string, tags: string[], params?: object): ApiOperation {
  return {
    method: 'options',
    path,
    operationId,
    summary: 'CORS preflight, for browsers on any origin',
    tags,
    security: 'none',
    ...(params ? { params } : {}),
    responses: { 204: { description: 'Allowed: POST, with the request headers this route reads; the answer may be cached for a day' } },
  };
}
