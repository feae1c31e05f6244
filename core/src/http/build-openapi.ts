import type { IngestLimits } from '../config.js';
import { DEFAULT_LIMITS } from '../config.js';
import { FaultlineError } from '../errors.js';
import { buildEventSchema } from '../event/event-schema.js';
import { adminOperations } from './admin-routes.js';
import { healthOperations } from './health-routes.js';
import { ingestOperations } from './ingest-routes.js';
import { issueOperations } from './issue-routes.js';
import { queryOperations } from './query-routes.js';
import { streamOperations } from './stream-routes.js';
import { CORE_VERSION } from '../plugins/setup-plugins.js';
import type { ApiOperation, ApiResponse, ApiSecurity } from '../openapi/api-operation.js';
import { API_SHAPES } from '../openapi/api-shapes.js';
import { openApiOperations } from './openapi-route.js';
import { alertRuleOperations } from './alert-rule-routes.js';
import { retentionOperations } from './retention-routes.js';

export interface OpenApiOptions {
  /** The ingest limits the event schema is built with (the instance's own). */
  limits?: IngestLimits;
  /** Operations of plugin routes, as plugins declared them with `ctx.routes(router, operations)`. */
  operations?: { plugin: string; operations: ApiOperation[] }[];
}

/** Every operation of core's routes. A new route module adds its operations here. */
export function coreOperations(eventSchema: object): ApiOperation[] {
  return [
    ...ingestOperations(eventSchema),
    ...healthOperations,
    ...openApiOperations,
    ...queryOperations,
    ...issueOperations,
    ...adminOperations,
    ...streamOperations,
    ...alertRuleOperations,
    ...retentionOperations,
  ];
}

const SECURITY: Record<ApiSecurity, Record<string, string[]>[]> = {
  secretToken: [{ secretToken: [] }],
  publicKey: [{ publicKeyBearer: [] }, { publicKeyHeader: [] }, { publicKeyQuery: [] }],
  sentryKey: [{ sentryAuthHeader: [] }, { sentryKeyQuery: [] }],
  // `{}`: the key may instead be in the envelope header's dsn
  sentryKeyOrDsn: [{ sentryAuthHeader: [] }, { sentryKeyQuery: [] }, {}],
  none: [],
};

const SECURITY_SCHEMES = {
  secretToken: { type: 'http', scheme: 'bearer', description: 'A secret token (`faultline project create` or `POST /api/v1/tokens`), or what the host’s authorize() accepts' },
  publicKeyBearer: { type: 'http', scheme: 'bearer', description: 'A project’s public key' },
  publicKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Faultline-Key', description: 'A project’s public key' },
  publicKeyQuery: { type: 'apiKey', in: 'query', name: 'faultline_key', description: 'A project’s public key (for navigator.sendBeacon)' },
  sentryAuthHeader: { type: 'apiKey', in: 'header', name: 'X-Sentry-Auth', description: '`Sentry sentry_key=<public key>, sentry_version=7, ...` (also read from `Authorization: Sentry ...`)' },
  sentryKeyQuery: { type: 'apiKey', in: 'query', name: 'sentry_key', description: 'A project’s public key' },
};

/**
 * The OpenAPI 3.1 document of the whole HTTP API, from the operations each route module exports (with the
 * schemas its handlers validate with) and those plugins declared. Paths are relative to where the router
 * is mounted; `<mount>/openapi.json` serves it.
 */
export function buildOpenApi(options: OpenApiOptions = {}): Record<string, unknown> {
  const eventSchema = buildEventSchema(options.limits ?? DEFAULT_LIMITS);
  const shapes: Record<string, object> = { ...API_SHAPES, IncomingEvent: eventSchema };
  const names = new Map<object, string>(Object.entries(shapes).map(([name, schema]) => [schema, name]));
  const ref = (schema: object) => withRefs(schema, names);

  const paths: Record<string, Record<string, unknown>> = {};
  const operationIds = new Set<string>();
  const all = [
    ...coreOperations(eventSchema).map((operation) => ({ owner: '@faultline/core', operation })),
    ...(options.operations ?? []).flatMap(({ plugin, operations }) => operations.map((operation) => ({ owner: plugin, operation }))),
  ];
  for (const { owner, operation: op } of all) {
    const item = (paths[op.path] ??= {});
    if (item[op.method] || operationIds.has(op.operationId)) {
      throw new FaultlineError('FAULTLINE_ERR_PLUGIN_INVALID', `${owner} documents ${op.method.toUpperCase()} ${op.path} (${op.operationId}) a second time`);
    }
    operationIds.add(op.operationId);
    item[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags,
      security: SECURITY[op.security],
      ...(op.params || op.query ? { parameters: [...parameters(op.params, 'path', ref), ...parameters(op.query, 'query', ref)] } : {}),
      ...(op.body ? { requestBody: requestBody(op.body, ref) } : {}),
      responses: Object.fromEntries(Object.entries(op.responses).map(([status, response]) => [status, responseObject(response, ref)])),
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Faultline',
      version: CORE_VERSION,
      description:
        'Error tracking: native and Sentry-protocol ingest, issues and events, admin, live stream and health. ' +
        'Paths are relative to where the host mounts the Faultline router. Every error answers `{error: {code, message, path}}`.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    tags: [
      { name: 'ingest', description: 'Native ingest (public key)' },
      { name: 'sentry', description: 'The Sentry protocol, for unmodified Sentry SDKs' },
      { name: 'query', description: 'Issues, events, stats and the live stream (secret token)' },
      { name: 'issues', description: 'Issue workflow (secret token, member role)' },
      { name: 'admin', description: 'Projects, keys, tokens and the audit log (secret token)' },
      { name: 'health', description: 'Probes, metrics and this document' },
    ],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(shapes).map(([name, schema]) => [name, withRefs(schema, names, true)])),
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** OpenAPI parameters from the object schema a route validates `req.params` or `req.query` with. */
function parameters(schema: object | undefined, where: 'path' | 'query', ref: (s: object) => object): object[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = schema as { properties?: Record<string, object>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return {
      name,
      in: where,
      required: where === 'path' || required.includes(name),
      ...(description ? { description } : {}),
      schema: ref(rest),
    };
  });
}

function requestBody(body: NonNullable<ApiOperation['body']>, ref: (s: object) => object): object {
  const types = body.contentTypes ?? ['application/json'];
  return {
    required: body.required ?? true,
    ...(body.description ? { description: body.description } : {}),
    content: Object.fromEntries(types.map((type) => [type, { schema: ref(body.schema) }])),
  };
}

function responseObject(response: ApiResponse, ref: (s: object) => object): object {
  return {
    description: response.description,
    ...(response.headers ? { headers: Object.fromEntries(Object.entries(response.headers).map(([n, h]) => [n, { description: h.description, schema: h.schema }])) } : {}),
    ...(response.schema ? { content: { [response.contentType ?? 'application/json']: { schema: ref(response.schema) } } } : {}),
  };
}

/** A copy of `schema` where every named shape is a `$ref` to `components.schemas` (but the root, for a component itself). */
function withRefs(schema: unknown, names: Map<object, string>, isComponent = false): any {
  if (Array.isArray(schema)) return schema.map((item) => withRefs(item, names));
  if (!schema || typeof schema !== 'object') return schema;
  const name = names.get(schema);
  if (name && !isComponent) return { $ref: `#/components/schemas/${name}` };
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, withRefs(value, names)]));
}
