import type { FaultlineClient } from './client.js';

export type LiveState = 'connecting' | 'live' | 'offline';
/** `issue` `{kind, issue}`, `events` `{events}`, or `reset` (resume failed: reload what is shown). */
export interface LiveMessage {
  type: 'issue' | 'events' | 'reset';
  data: any;
}

export interface LiveStreamOptions {
  client: FaultlineClient;
  project: string;
  onMessage(message: LiveMessage): void;
  onState(state: LiveState, detail?: string): void;
}

const BACKOFF_MS = [1000, 2000, 5000, 10_000];

/**
 * A project's live stream (server-sent events). With the host's cookies it is an EventSource; with a
 * token it reads the stream with fetch, since EventSource cannot send an Authorization header. Either
 * way it reconnects after a drop with `Last-Event-ID`, so the server replays what was missed.
 */
export class LiveStream {
  private source: EventSource | null = null;
  private abort: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private lastEventId = '';
  private stopped = false;

  constructor(private readonly options: LiveStreamOptions) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.source?.close();
    this.abort?.abort();
    this.source = null;
    this.abort = null;
  }

  private get path(): string {
    return `/api/v1/projects/${encodeURIComponent(this.options.project)}/stream`;
  }

  private connect(): void {
    if (this.stopped) return;
    this.options.onState('connecting');
    if (this.options.client.token) void this.connectWithFetch();
    else this.connectWithEventSource();
  }

  private connectWithEventSource(): void {
    const source = new EventSource(this.options.client.url(this.path, { lastEventId: this.lastEventId || undefined }), { withCredentials: true });
    this.source = source;
    source.onopen = () => this.opened();
    for (const type of ['issue', 'events', 'reset'] as const) {
      source.addEventListener(type, (e) => this.dispatch(type, (e as MessageEvent).data, (e as MessageEvent).lastEventId));
    }
    source.onerror = () => {
      // the browser would retry on its own, but not after an HTTP error; one policy for both
      source.close();
      this.dropped('The live stream was interrupted');
    };
  }

  private async connectWithFetch(): Promise<void> {
    const abort = new AbortController();
    this.abort = abort;
    try {
      const headers = this.options.client.headers({ accept: 'text/event-stream', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) });
      const res = await fetch(this.options.client.url(this.path), { headers, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
      if (!res.ok || !res.body) throw new Error(`The live stream was refused (${res.status})`);
      this.opened();
      await this.readFrames(res.body);
      throw new Error('The live stream was closed');
    } catch (err) {
      if (abort.signal.aborted) return;
      this.dropped((err as Error).message);
    }
  }

  private async readFrames(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        let id = '';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          const colon = line.indexOf(':');
          if (colon === 0) continue;
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') type = text;
          else if (field === 'data') data.push(text);
          else if (field === 'id') id = text;
        }
        if (type === 'issue' || type === 'events' || type === 'reset') this.dispatch(type, data.join('\n'), id);
      }
    }
  }

  private opened(): void {
    this.attempt = 0;
    this.options.onState('live');
  }

  private dispatch(type: LiveMessage['type'], data: string, id: string): void {
    if (id) this.lastEventId = id;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    this.options.onMessage({ type, data: parsed });
  }

  private dropped(reason: string): void {
    if (this.stopped) return;
    this.options.onState('offline', reason);
    const delay = BACKOFF_MS[Math.min(this.attempt++, BACKOFF_MS.length - 1)];
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
