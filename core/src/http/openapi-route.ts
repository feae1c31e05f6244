import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { ApiOperation } from '../openapi/api-operation.js';

/**
 * `GET /openapi.json`: the document of this router's API; public (no secret in it, so any origin may read
 * it, as API viewers hosted elsewhere do), cached by browsers and proxies with an ETag.
 */
export function openApiRoute(document: () => Record<string, unknown>): Router {
  const router = Router();
  let body: string | undefined;
  let etag = '';
  router.get('/openapi.json', function openApiDocument(req, res) {
    if (body === undefined) {
      body = JSON.stringify(document());
      etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    }
    res.setHeader('Cache-Control', 'public, max-age=300, must-revalidate');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('ETag', etag);
    // Compared here rather than with req.fresh, which ignores If-None-Match on requests with `Cache-Control: no-cache`, as fetch() sends them
    const ifNoneMatch = req.get('if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.status(304).end();
      return;
    }
    res.type('application/json').send(body);
  });
  return router;
}

const SCHEMA_OF_OPENAPI_31 = { type: 'object', required: ['openapi', 'info', 'paths'], description: 'An OpenAPI 3.1 document' };

/** The operation of this route, for the document itself. */
export const openApiOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApi',
    summary: 'This document: the OpenAPI 3.1 description of the HTTP API',
    tags: ['health'],
    security: 'none',
    responses: {
      200: { description: 'The document', schema: SCHEMA_OF_OPENAPI_31 },
      304: { description: 'Not modified (If-None-Match)' },
    },
  },
];
