import { Router, type Request, type Response } from 'express';
import { requireProject } from '../auth/grants.js';
import type { Grant } from '../config.js';
import type { LiveFeed, LiveMessage } from '../pubsub/live-feed.js';
import { tokenErrors, type ApiOperation } from '../openapi/api-operation.js';
import { parseInput } from './parse-input.js';
import { projectParams } from './route-params.js';

/** Read by hand (a `Last-Event-ID` header takes precedence); described here for the document. */
const streamQuery = {
  type: 'object',
  properties: { lastEventId: { type: 'string', description: 'Resume after this event id, for clients that cannot send `Last-Event-ID`' } },
};

export interface StreamRouteDeps {
  feed: LiveFeed;
  grant(req: Request): Promise<Grant>;
  /** A comment line this often keeps proxies and load balancers from closing an idle stream. */
  heartbeatMs?: number;
}

/**
 * `GET /api/v1/projects/:id/stream`: server-sent events for live views, authorized like the query API.
 * Events: `issue` `{kind: created|regressed|updated, issue}`, `events` `{events: [summary]}`, and `reset`
 * when a `Last-Event-ID` cannot be resumed (the client should reload what it shows).
 */
export function streamRoutes(deps: StreamRouteDeps): Router & { closeAll(): void } {
  const router = Router() as Router & { closeAll(): void };
  const open = new Set<Response>();
  const heartbeatMs = deps.heartbeatMs ?? 15_000;

  router.get('/api/v1/projects/:id/stream', async function projectStream(req, res) {
    const { id } = parseInput<{ id: number }>(projectParams, req.params, 'params');
    requireProject(await deps.grant(req), id);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // nginx would otherwise hold events back
    });
    res.flushHeaders();
    res.write('retry: 2000\n: connected\n\n');
    const lastEventId = req.get('last-event-id') ?? (typeof req.query.lastEventId === 'string' ? req.query.lastEventId : undefined);
    if (lastEventId) {
      const missed = deps.feed.since(id, lastEventId.slice(0, 64));
      if ('reset' in missed) res.write('event: reset\ndata: {}\n\n');
      else for (const message of missed.messages) res.write(frame(message));
    }
    const stopListening = deps.feed.listen((message) => {
      if (message.projectId === id) res.write(frame(message));
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    open.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      stopListening();
      open.delete(res);
    });
  });

  router.closeAll = () => {
    for (const res of open) res.end();
  };
  return router;
}

function frame(message: LiveMessage): string {
  return `id: ${message.id}\nevent: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}

/** The operations of these routes, for the OpenAPI document. */
export const streamOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/api/v1/projects/{id}/stream',
    operationId: 'projectStream',
    summary: 'Live issues and events of a project (server-sent events)',
    description:
      'Events: `issue` `{kind: created|regressed|updated, issue}`, `events` `{events: [summary]}`, and `reset` when a ' +
      '`Last-Event-ID` cannot be resumed (reload what you show). A comment line every 15 s keeps proxies from closing it.',
    tags: ['query'],
    security: 'secretToken',
    params: projectParams,
    query: streamQuery,
    responses: {
      200: { description: 'The stream, open until the client leaves', contentType: 'text/event-stream', schema: { type: 'string' } },
      ...tokenErrors(400, 404),
    },
  },
];
