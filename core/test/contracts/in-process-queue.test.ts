import { InProcessQueue } from '../../src/queue/in-process-queue.js';
import { queueContract, type QueueFactory } from '../../src/testing/index.js';

const inProcess: QueueFactory = ({ maxPending }) => new InProcessQueue({ maxSize: 100, maxWaitMs: 2, maxPending, concurrency: 2 });

describe('in-process queue', () => {
  queueContract(inProcess);
});

// A queue that answers after commit also keeps the weaker promise a Redis queue makes; running the suite
// that way here keeps those cases honest before a queue that needs them exists.
describe('in-process queue, checked as a queue that resolves once events are persisted', () => {
  queueContract(inProcess, { resolves: 'when-persisted' });
});
