import { InProcessQueue } from '../../src/queue/in-process-queue.js';
import { queueContract } from '../../src/testing/index.js';

describe('in-process queue', () => {
  queueContract(({ maxPending }) => new InProcessQueue({ maxSize: 100, maxWaitMs: 2, maxPending, concurrency: 2 }));
});
