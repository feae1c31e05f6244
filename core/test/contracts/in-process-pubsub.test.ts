import { InProcessPubSub } from '../../src/pubsub/in-process-pubsub.js';
import { pubsubContract } from '../../src/testing/index.js';

describe('in-process pubsub', () => {
  pubsubContract(() => new InProcessPubSub());
});
