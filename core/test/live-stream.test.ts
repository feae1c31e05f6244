/**
 * The live stream route on its own: an Express app with the stream router, an in-process pubsub and a
 * grant from a fake header, read through a real HTTP connection as a browser's fetch would.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from 'chai';
import express, { type Request } from 'express';
import { pino } from 'pino';
import { FaultlineError, InProcessPubSub, type Grant, type Issue } from '../src/index.js';
import { streamRoutes } from '../src/http/stream-routes.js';
import { errorHandler } from '../src/http/send-error.js';
import { LiveFeed } from '../src/pubsub/live-feed.js';

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** Reads SSE frames from a streaming response as they arrive. */
class StreamReader {
  readonly frames: Frame[] = [];
  private buffer = '';
  private readonly done: Promise<void>;

  constructor(private readonly res: Response, private readonly abort: AbortController) {
    this.done = this.read();
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.res.body as unknown as AsyncIterable<Uint8Array>) {
        this.buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          for (const frame of parseBlock(block)) this.frames.push(frame);
        }
      }
    } catch {
      // aborted by the test
    }
  }

  async waitFor(test: (frames: Frame[]) => boolean): Promise<Frame[]> {
    for (let i = 0; i < 400 && !test(this.frames); i++) await new Promise((r) => setTimeout(r, 10));
    expect(test(this.frames), JSON.stringify(this.frames)).to.equal(true);
    return this.frames;
  }

  events(): Frame[] {
    return this.frames.filter((f) => f.event);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

function parseBlock(block: string): Frame[] {
  const frame: Frame = {};
  const comments: Frame[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) comments.push({ comment: line.slice(1).trim() });
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
    else if (line.startsWith('event: ')) frame.event = line.slice(7);
    else if (line.startsWith('data: ')) frame.data = line.slice(6);
  }
  return frame.event || frame.id ? [...comments, frame] : comments;
}

function issue(id: string, projectId: number): Issue {
  const now = new Date().toISOString();
  return {
    id, projectId, title: `Error ${id}`, culprit: 'app.js', type: 'Error', value: 'boom', level: 'error', status: 'unresolved',
    count: 1, userCount: 0, firstSeen: now, lastSeen: now, release: null, environment: null, platform: 'javascript',
    fingerprint: 'f', groupingVersion: '1',
  };
}

describe('live stream route (GET /api/v1/projects/:id/stream)', () => {
  let server: Server;
  let base: string;
  let pubsub: InProcessPubSub;
  let feed: LiveFeed;
  let closeAll: () => void;
  const readers: StreamReader[] = [];

  async function open(projectId: number, headers: Record<string, string> = { authorization: 'Bearer p1' }): Promise<{ status: number; body: unknown; reader?: StreamReader }> {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/v1/projects/${projectId}/stream`, { headers, signal: abort.signal });
    if (res.status !== 200) return { status: res.status, body: await res.json() };
    const reader = new StreamReader(res, abort);
    readers.push(reader);
    await reader.waitFor((frames) => frames.some((f) => f.comment === 'connected'));
    return { status: 200, body: null, reader };
  }

  beforeEach(async () => {
    pubsub = new InProcessPubSub();
    feed = new LiveFeed(3);
    feed.attach(pubsub);
    const grant = async (req: Request): Promise<Grant> => {
      const header = req.get('authorization');
      if (!header) throw new FaultlineError('FAULTLINE_ERR_AUTH_MISSING', 'A secret token is required (Authorization: Bearer <token>)');
      return { role: 'viewer', projectIds: [1] };
    };
    const app = express();
    const streams = streamRoutes({ feed, grant, heartbeatMs: 20 });
    closeAll = streams.closeAll;
    app.use(streams);
    app.use(errorHandler(pino({ level: 'silent' })));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const reader of readers.splice(0)) await reader.close();
    closeAll();
    feed.detach();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses a caller without credentials (401) and hides other projects (404), with coded JSON errors', async () => {
    const anonymous = await open(1, {});
    expect(anonymous.status).to.equal(401);
    expect(anonymous.body).to.have.nested.property('error.code', 'FAULTLINE_ERR_AUTH_MISSING');
    const other = await open(2);
    expect(other.status).to.equal(404);
    expect(other.body).to.have.nested.property('error.code', 'FAULTLINE_ERR_NOT_FOUND');
  });

  it("sends the project's new issues, status changes and stored events, and nothing of other projects", async () => {
    const { reader } = await open(1);
    await pubsub.publish('issue:created', { issue: issue('7', 2), event: {} as never });
    await pubsub.publish('issue:created', { issue: issue('8', 1), event: {} as never });
    await pubsub.publish('issue:updated', { issue: { ...issue('8', 1), status: 'resolved' }, previous: issue('8', 1) });
    await pubsub.publish('event:stored', {
      events: [
        { projectId: 1, eventId: 'a'.repeat(32), issueId: '8', receivedAt: new Date().toISOString(), level: 'error', environment: null, release: null },
        { projectId: 2, eventId: 'b'.repeat(32), issueId: '7', receivedAt: new Date().toISOString(), level: 'error', environment: null, release: null },
      ],
    });
    const frames = await reader!.waitFor(() => reader!.events().length >= 3);
    const events = frames.filter((f) => f.event);
    expect(events.map((f) => f.event)).to.deep.equal(['issue', 'issue', 'events']);
    expect(JSON.parse(events[0].data!)).to.deep.include({ kind: 'created' });
    expect(JSON.parse(events[0].data!).issue.id).to.equal('8');
    expect(JSON.parse(events[1].data!)).to.deep.include({ kind: 'updated' });
    expect(JSON.parse(events[2].data!).events.map((e: { eventId: string }) => e.eventId)).to.deep.equal(['a'.repeat(32)]);
    expect(new Set(events.map((f) => f.id)).size).to.equal(3);
  });

  it('sends heartbeats while nothing happens', async () => {
    const { reader } = await open(1);
    await reader!.waitFor((frames) => frames.filter((f) => f.comment === 'heartbeat').length >= 2);
  });

  it('resumes after Last-Event-ID with what was missed, and asks for a reset when that is no longer kept', async () => {
    const { reader } = await open(1);
    for (const id of ['1', '2', '3']) await pubsub.publish('issue:created', { issue: issue(id, 1), event: {} as never });
    await reader!.waitFor(() => reader!.events().length === 3);
    const [first, , third] = reader!.events();

    const resumed = await open(1, { authorization: 'Bearer p1', 'last-event-id': first.id! });
    const replayed = await resumed.reader!.waitFor(() => resumed.reader!.events().length === 2);
    expect(replayed.filter((f) => f.event).map((f) => JSON.parse(f.data!).issue.id)).to.deep.equal(['2', '3']);

    const upToDate = await open(1, { authorization: 'Bearer p1', 'last-event-id': third.id! });
    await pubsub.publish('issue:created', { issue: issue('4', 1), event: {} as never });
    await upToDate.reader!.waitFor(() => upToDate.reader!.events().length === 1);
    expect(JSON.parse(upToDate.reader!.events()[0].data!).issue.id).to.equal('4');

    // the ring keeps 3 messages: after '5' it holds '3', '4', '5', so resuming after '1' would skip '2';
    // an id from another process (or an earlier boot) cannot be resumed either
    await pubsub.publish('issue:created', { issue: issue('5', 1), event: {} as never });
    await upToDate.reader!.waitFor(() => upToDate.reader!.events().length === 2);
    const tooOld = await open(1, { authorization: 'Bearer p1', 'last-event-id': first.id! });
    await tooOld.reader!.waitFor(() => tooOld.reader!.events().length === 1);
    expect(tooOld.reader!.events()[0].event).to.equal('reset');
    const foreign = await open(1, { authorization: 'Bearer p1', 'last-event-id': 'ffffffff-1' });
    await foreign.reader!.waitFor(() => foreign.reader!.events().length === 1);
    expect(foreign.reader!.events()[0].event).to.equal('reset');
  });
});
