import type { PubSubMessages, PubSubTopic } from '../../../src/providers/pubsub.js';
import { InProcessPubSub } from '../../../src/pubsub/in-process-pubsub.js';

/** Wrong on purpose: hands every message to the transport twice, so each subscriber gets it twice. */
export class TwiceDeliveringPubSub extends InProcessPubSub {
  override async publish<T extends PubSubTopic>(topic: T, message: PubSubMessages[T]): Promise<void> {
    await super.publish(topic, message);
    await super.publish(topic, message);
  }
}
