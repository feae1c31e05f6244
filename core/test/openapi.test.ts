import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Router } from 'express';
import { startTestServer, type TestServer } from '@faultline/core/testing';
import { buildOpenApi, definePlugin, type ApiOperation } from '../src/index.js';
import { INGEST_PATH } from '../src/http/ingest-routes.js';
import { routerRoutes, type RouterRoute } from './helpers/router-routes.js';
import { api, request } from './helpers/http.js';

const WHERE_TO_DOCUMENT =
  'add its operation next to the route: a core route in its module’s exported *Operations (listed in coreOperations, ' +
  'core/src/openapi/build-openapi.ts); a plugin route as ctx.routes(router, operations)';

/** The ingest fast path answers these (POST and the CORS preflight), matched by regular expression (ingest-routes.ts), out of the router walk's sight. */
const INGEST_FAST_PATHS: RouterRoute[] = [
  { method: 'POST', path: '/api/v1/events' },
  { method: 'POST', path: '/api/{projectId}/envelope' },
  { method: 'POST', path: '/api/{projectId}/store' },
  { method: 'OPTIONS', path: '/api/v1/events' },
  { method: 'OPTIONS', path: '/api/{projectId}/envelope' },
  { method: 'OPTIONS', path: '/api/{projectId}/store' },
];

const documented = (doc: any): RouterRoute[] =>
  Object.entries(doc.paths as Record<string, object>).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), path })));
const label = (r: RouterRoute) => `${r.method} ${r.path}`;

/** Routes the router answers that the document does not describe, and the other way round. */
function compare(routes: RouterRoute[], doc: any): { undocumented: string[]; unrouted: string[] } {
  const inDoc = new Set(documented(doc).map(label));
  const answered = new Set([...routes, ...INGEST_FAST_PATHS].map(label));
  return {
    undocumented: [...new Set(routes.map(label))].filter((r) => !inDoc.has(r)).map((r) => `${r} is not in openapi.json: ${WHERE_TO_DOCUMENT}`),
    unrouted: [...inDoc].filter((r) => !answered.has(r)),
  };
}

const aRoute = (path: string): ApiOperation => ({
  method: 'get',
  path,
  operationId: `get${path.replace(/\W/g, '')}`,
  summary: 'A plugin route',
  tags: ['plugin'],
  security: 'none',
  responses: { 200: { description: 'ok', schema: { type: 'object', required: ['ok'], properties: { ok: { const: true } } } } },
});

function pluginWithRoute(path: string, operations?: ApiOperation[]) {
  return definePlugin({
    name: `test-plugin${path.replace(/\W/g, '-')}`,
    core: '^0.1.0',
    setup(ctx) {
      const router = Router();
      router.get(path, (_req, res) => {
        res.json({ ok: true });
      });
      ctx.routes(router, operations);
    },
  });
}

describe('OpenAPI document', function () {
  this.timeout(30_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer({ plugins: [pluginWithRoute('/api/v1/plugin-thing', [aRoute('/api/v1/plugin-thing')])] });
  });
  after(() => server?.stop());

  it('is a valid OpenAPI 3.1 document, and its schemas compile', async () => {
    const doc = buildOpenApi();
    const result = await new Validator().validate(doc as any);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
    expect(doc.openapi).to.equal('3.1.0');
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'x', $defs: (doc as any).components.schemas });
    expect(() => ajv.getSchema('x')).not.to.throw();
  });

  it('documents every route the router answers, and only those', async () => {
    const doc = (await request(server, `${server.url}/openapi.json`)).body;
    const { undocumented, unrouted } = compare(routerRoutes(server.faultline.router()), doc);
    expect(undocumented, undocumented.join('\n')).to.deep.equal([]);
    expect(unrouted, `documented, but no route answers: fix the operation's path or drop it\n${unrouted.join('\n')}`).to.deep.equal([]);
    expect(documented(doc).map(label)).to.include('GET /api/v1/plugin-thing');
  });

  it('documents the three ingest paths the fast path matches by regular expression, with their preflights', () => {
    const inDoc = documented(buildOpenApi()).map(label);
    for (const route of INGEST_FAST_PATHS) {
      expect(inDoc).to.include(label(route));
      expect(INGEST_PATH.test(route.path.replace('{projectId}', '42')), route.path).to.equal(true);
    }
  });

  it('names an undocumented route and says where to document it', async () => {
    const other = await startTestServer({ plugins: [pluginWithRoute('/api/v1/undocumented-thing')] });
    try {
      const { undocumented } = compare(routerRoutes(other.faultline.router()), buildOpenApi());
      expect(undocumented).to.have.length(1);
      expect(undocumented[0]).to.match(/^GET \/api\/v1\/undocumented-thing is not in openapi.json: add its operation next to the route/);
      expect(undocumented[0]).to.contain('ctx.routes(router, operations)');
    } finally {
      await other.stop();
    }
  });

  it('refuses a plugin operation that documents a path twice', () => {
    expect(() => buildOpenApi({ operations: [{ plugin: 'p', operations: [aRoute('/healthz')] }] })).to.throw(/p documents GET \/healthz/);
  });

  it('is served at <mount>/openapi.json without a token, to any origin, cacheable, with an ETag', async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/json/);
    expect(res.headers.get('cache-control')).to.match(/^public, max-age=\d+/);
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    const doc: any = await res.json();
    expect(doc.info.version).to.be.a('string');
    expect(Object.keys(doc.components.securitySchemes)).to.include.members(['secretToken', 'publicKeyBearer', 'sentryAuthHeader', 'sentryKeyQuery']);
    const again = await fetch(`${server.url}/openapi.json`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).to.equal(304);
  });

  it('describes the event schema ingest validates with, with this instance’s limits', async () => {
    const other = await startTestServer({ limits: { maxStringLength: 123 } } as any);
    try {
      const doc = (await request(other, `${other.url}/openapi.json`)).body;
      expect(JSON.stringify(doc.components.schemas.IncomingEvent)).to.contain(`"maxLength":${123 * 4}`);
    } finally {
      await other.stop();
    }
  });

  it('checks answers against the document in the shared test helpers', async () => {
    const res = await api(server, `/projects/${server.project.id}/issues`);
    expect(res.status).to.equal(200);
    const { checkAnswer } = await import('./helpers/openapi-conformance.js');
    expect(() => checkAnswer('GET', '/api/v1/issues/1', 200, 'application/json', { id: '1' })).to.throw(/does not match its documented schema/);
    expect(() => checkAnswer('GET', '/api/v1/issues/1', 418, 'application/json', {})).to.throw(/a status the document does not list/);
  });
});
