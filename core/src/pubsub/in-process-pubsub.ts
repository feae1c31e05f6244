import type { Logger } from 'pino';
import type { PubSubHandler, PubSubMessages, PubSubProvider, PubSubTopic } from '../providers/pubsub.js';

/**
 * The default `pubsub`: subscribers in this process only. Handlers run on a later tick so a publisher
 * never waits on them, and each message is cloned through JSON once, so a subscriber sees exactly what a
 * cross-process provider would deliver (and cannot change what another subscriber sees).
 */
export class InProcessPubSub implements PubSubProvider {
  readonly name = 'in-process';
  private readonly handlers = new Map<PubSubTopic, Set<PubSubHandler<any>>>();
  private stopped = false;

  constructor(private readonly log?: Logger) {}

  async publish<T extends PubSubTopic>(topic: T, message: PubSubMessages[T]): Promise<void> {
    const subscribers = this.handlers.get(topic);
    if (this.stopped || !subscribers || subscribers.size === 0) return;
    const json = JSON.stringify(message);
    for (const handler of [...subscribers]) {
      setImmediate(() => this.deliver(topic, handler, JSON.parse(json)));
    }
  }

  subscribe<T extends PubSubTopic>(topic: T, handler: PubSubHandler<T>): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    set.add(handler);
    this.handlers.set(topic, set);
    return () => set.delete(handler);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.handlers.clear();
  }

  private async deliver(topic: PubSubTopic, handler: PubSubHandler<any>, message: unknown): Promise<void> {
    try {
      await handler(message);
    } catch (err) {
      this.log?.error({ err, topic }, 'pubsub subscriber failed');
    }
  }
}
