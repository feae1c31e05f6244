import { randomBytes } from 'node:crypto';
import { groupByProject, type PubSubProvider } from '../providers/pubsub.js';

/** One message of the live stream, as an SSE event: `issue` (created, regressed, updated) or `events`. */
export interface LiveMessage {
  /** `<boot>-<sequence>`: a Last-Event-ID from another process or an older boot cannot resume here. */
  id: string;
  projectId: number;
  event: 'issue' | 'events';
  data: unknown;
}

export type LiveListener = (message: LiveMessage) => void;
export type ResumeResult = { messages: LiveMessage[] } | { reset: true };

/**
 * What the live stream sends, per project, fed by the `pubsub` seam (so it sees work done by any worker
 * process). It keeps the last `ringSize` messages in memory so a client that reconnects with
 * `Last-Event-ID` gets what it missed; one too old to resume is told to reload instead.
 */
export class LiveFeed {
  private readonly boot = randomBytes(4).toString('hex');
  private sequence = 0;
  private readonly ring: LiveMessage[] = [];
  private readonly listeners = new Set<LiveListener>();
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly ringSize = 1000) {}

  /** Subscribes to pubsub; called once the provider is started. */
  attach(pubsub: PubSubProvider): void {
    if (this.unsubscribe.length > 0) return;
    this.unsubscribe = [
      pubsub.subscribe('issue:created', ({ issue }) => this.push(issue.projectId, 'issue', { kind: 'created', issue })),
      pubsub.subscribe('issue:regressed', ({ issue }) => this.push(issue.projectId, 'issue', { kind: 'regressed', issue })),
      pubsub.subscribe('issue:updated', ({ issue }) => this.push(issue.projectId, 'issue', { kind: 'updated', issue })),
      pubsub.subscribe('event:stored', ({ events }) => {
        for (const [projectId, list] of groupByProject(events)) this.push(projectId, 'events', { events: list });
      }),
    ];
  }

  detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.listeners.clear();
  }

  listen(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The project's messages after `lastEventId`, or `reset` when they are no longer (or never were) here. */
  since(projectId: number, lastEventId: string): ResumeResult {
    const [boot, seq] = lastEventId.split('-');
    const after = Number(seq);
    if (boot !== this.boot || !Number.isSafeInteger(after) || after > this.sequence) return { reset: true };
    const oldest = this.ring[0] ? Number(this.ring[0].id.split('-')[1]) : this.sequence + 1;
    if (after + 1 < oldest) return { reset: true };
    return { messages: this.ring.filter((m) => m.projectId === projectId && Number(m.id.split('-')[1]) > after) };
  }

  private push(projectId: number, event: LiveMessage['event'], data: unknown): void {
    const message: LiveMessage = { id: `${this.boot}-${++this.sequence}`, projectId, event, data };
    this.ring.push(message);
    if (this.ring.length > this.ringSize) this.ring.shift();
    for (const listener of this.listeners) listener(message);
  }
}
