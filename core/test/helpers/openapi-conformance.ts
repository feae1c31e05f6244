import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildOpenApi } from '../../src/http/build-openapi.js';

/**
 * Checks answers of the running router against the OpenAPI document: the shared HTTP helpers call
 * `checkAnswer` on every answer, so the whole suite checks that what routes send is what is documented.
 */
const BASE = 'https://faultline.invalid/openapi.json';
const doc = buildOpenApi() as any;
const ajv = new Ajv2020({ strict: false, allErrors: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
// The document's `#/components/schemas/X` refs, as `$defs` of one schema ajv can resolve them in.
ajv.addSchema({ $id: BASE, $defs: rebase(doc.components.schemas) });

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  operation: any;
}

// Express matches paths case-insensitively, with an optional final slash; so do the ingest routes.
const routes: Route[] = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([template, item]) =>
  Object.entries(item).map(([method, operation]) => ({
    method,
    template,
    operation,
    pattern: pathPattern(template, operation),
  })),
);
/** Express's matching: any case, an optional final slash; an integer parameter matches digits only. */
function pathPattern(template: string, operation: any): RegExp {
  const types = new Map<string, string>((operation.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => [p.name, p.schema?.type]));
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name) => (types.get(name) === 'integer' ? '[0-9]+' : '[^/]+'));
  return new RegExp(`^${source}/?$`, 'i');
}

const validators = new Map<string, ValidateFunction>();

/** The documented operation for `method path` (path relative to the mount, without the query). */
export function documentedOperation(method: string, path: string): { template: string; operation: any } | undefined {
  const route = routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
  return route && { template: route.template, operation: route.operation };
}

/**
 * Throws unless the answer is one the document describes: its status is documented for the operation,
 * and a JSON body matches the documented schema. A path no operation documents may only answer the
 * router's coded 404.
 */
export function checkAnswer(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
  const where = `${method.toUpperCase()} ${path} answered ${status}`;
  const found = documentedOperation(method, path);
  const json = /^application\/json\b/i.test(contentType ?? '');
  if (!found) {
    if (status === 404 && json) return validate(`${BASE}#/$defs/Error`, body, `${where} (no documented operation)`);
    throw new Error(
      `${where}, but no operation in openapi.json documents ${method.toUpperCase()} ${path}: add its operation next to the route ` +
        '(a core route in its module’s exported *Operations, listed in coreOperations in core/src/openapi/build-openapi.ts)',
    );
  }
  const response = found.operation.responses[String(status)];
  if (!response) {
    throw new Error(
      `${where}, a status the document does not list for ${method.toUpperCase()} ${found.template}: document it in the route's operations\n${JSON.stringify(body)?.slice(0, 500)}`,
    );
  }
  if (!json) return;
  const schema = response.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${where} with a JSON body, but the document gives this answer no JSON body`);
  const key = `${found.template} ${method.toLowerCase()} ${status}`;
  let validator = validators.get(key);
  if (!validator) {
    validator = ajv.compile(rebase(schema));
    validators.set(key, validator);
  }
  if (!validator(body)) throw new Error(`${where}; body does not match its documented schema: ${ajv.errorsText(validator.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}

function validate(ref: string, body: unknown, where: string): void {
  const validator = ajv.getSchema(ref)!;
  if (!validator(body)) throw new Error(`${where}; body does not match its documented schema: ${ajv.errorsText(validator.errors)}`);
}

/** A copy with `#/components/schemas/X` refs pointing into the schema registered as BASE. */
function rebase(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? value.replace('#/components/schemas/', `${BASE}#/$defs/`) : rebase(value),
    ]),
  );
}
