import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Router } from 'express';
import { definePlugin, FaultlineError, type ApiOperation, type FaultlinePlugin } from '@faultline/core';

export interface WidgetsOptions {
  /** The bundle to serve; defaults to this package's `dist/widgets.js` (made by `npm run build`). */
  bundlePath?: string;
  /** `Cache-Control` max-age in seconds; browsers revalidate with the ETag after it. */
  maxAgeSeconds?: number;
}

const defaultOptions = {
  bundlePath: fileURLToPath(new URL('../dist/widgets.js', import.meta.url)),
  maxAgeSeconds: 300,
};

/**
 * The `@faultline/widgets` plugin: serves the bundled web components at `<mount>/widgets.js`, so a host
 * page needs one script tag. The bundle is read once at setup, hashed for its ETag and gzipped once.
 */
export default function widgets(options: WidgetsOptions = {}): FaultlinePlugin {
  const { bundlePath, maxAgeSeconds } = { ...defaultOptions, ...options };
  return definePlugin({
    name: '@faultline/widgets',
    core: '^0.1.0',
    async setup(ctx) {
      const bundle = await readBundle(bundlePath);
      ctx.routes(serveBundle(bundle, maxAgeSeconds) as unknown as Router, widgetsOperations); // Express mounts any middleware function
    },
  });
}
export { widgets };

/** What the plugin's route serves, for `<mount>/openapi.json`. */
export const widgetsOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/widgets.js',
    operationId: 'widgetsBundle',
    summary: 'The dashboard web components, as one script (also HEAD)',
    tags: ['widgets'],
    security: 'none',
    responses: {
      200: { description: 'The bundle; gzip when accepted, cached with an ETag', contentType: 'text/javascript', schema: { type: 'string' } },
      304: { description: 'Not modified (If-None-Match)' },
    },
  },
];

async function readBundle(bundlePath: string): Promise<Buffer> {
  try {
    return await readFile(bundlePath);
  } catch (err) {
    throw new FaultlineError('FAULTLINE_ERR_PLUGIN_SETUP', `widgets.js was not found at ${bundlePath}: run "npm run build -w @faultline/widgets"`, {
      cause: err,
    });
  }
}

function serveBundle(bundle: Buffer, maxAgeSeconds: number) {
  const etag = `"${createHash('sha256').update(bundle).digest('base64url').slice(0, 27)}"`;
  const gzipped = gzipSync(bundle, { level: 9 });
  return function widgetsBundle(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const path = (req as IncomingMessage & { path?: string }).path;
    if (path !== '/widgets.js' || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', `public, max-age=${maxAgeSeconds}, must-revalidate`);
    res.setHeader('ETag', etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? gzipped : bundle;
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
