import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { PubSubHandler, PubSubMessages, PubSubProvider, PubSubTopic } from '@faultline/core';
import { closeRedis } from './redis-connection.js';

/**
 * The `pubsub` on Redis: a message published on any node reaches the subscribers of every node, so the
 * live stream and alert rules see events processed by any worker. Messages are JSON on the channel
 * `<prefix>:<topic>`. Publishing uses the plugin's command connection; each node holds one subscriber
 * connection, which SUBSCRIBEs to a topic only once someone here listens to it (ioredis subscribes again
 * after a reconnect). Delivery is at most once, as the contract says: a node that is down misses messages.
 */
export class RedisPubSub implements PubSubProvider {
  readonly name = 'redis';
  private readonly handlers = new Map<PubSubTopic, Set<PubSubHandler<any>>>();
  private started = false;
  /** SUBSCRIBEs sent and not yet confirmed; a publish waits for them (see publish). */
  private subscribing: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channelPrefix: string,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (channel: string, text: string) => this.deliver(channel, text));
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.subscriber.status === 'wait') await this.subscriber.connect();
    const topics = [...this.handlers.keys()];
    if (topics.length > 0) await this.track(this.subscriber.subscribe(...topics.map((t) => this.channel(t))));
  }

  /**
   * Waits for this node's own SUBSCRIBEs first: Redis confirms one only once it is registered, so a
   * message published after a subscribe on the same node reaches that subscriber.
   */
  async publish<T extends PubSubTopic>(topic: T, message: PubSubMessages[T]): Promise<void> {
    if (this.stopped) return;
    await this.subscribing;
    await this.publisher.publish(this.channel(topic), JSON.stringify(message));
  }

  subscribe<T extends PubSubTopic>(topic: T, handler: PubSubHandler<T>): () => void {
    let set = this.handlers.get(topic);
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
      if (this.started && !this.stopped) {
        void this.track(this.subscriber.subscribe(this.channel(topic)));
      }
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.handlers.clear();
    await closeRedis(this.subscriber);
  }

  private track(subscribed: Promise<unknown>): Promise<unknown> {
    const settled = subscribed.catch((err: unknown) => this.log.error({ err }, 'pubsub could not subscribe'));
    this.subscribing = Promise.all([this.subscribing, settled]);
    return settled;
  }

  private channel(topic: PubSubTopic): string {
    return `${this.channelPrefix}:${topic}`;
  }

  private deliver(channel: string, text: string): void {
    if (this.stopped || !channel.startsWith(`${this.channelPrefix}:`)) return;
    const topic = channel.slice(this.channelPrefix.length + 1) as PubSubTopic;
    const handlers = this.handlers.get(topic);
    if (!handlers || handlers.size === 0) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (err) {
      this.log.error({ err, topic }, 'pubsub message is not JSON; dropped');
      return;
    }
    // Each subscriber gets its own copy, so one cannot change what another sees.
    const copies = handlers.size === 1 ? [message] : [...handlers].map(() => JSON.parse(text));
    [...handlers].forEach((handler, i) => void this.run(topic, handler, copies[i]));
  }

  private async run(topic: PubSubTopic, handler: PubSubHandler<any>, message: unknown): Promise<void> {
    try {
      await handler(message);
    } catch (err) {
      this.log.error({ err, topic }, 'pubsub subscriber failed');
    }
  }
}
