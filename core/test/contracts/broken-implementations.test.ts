import { expect } from 'chai';
import { pubsubContract, queueContract, storageContract } from '../../src/testing/index.js';
import { runContract } from '../helpers/run-contract.js';
import { DoubleCountingStorage } from './broken/double-counting-storage.js';
import { EarlyResolvingQueue, LossyQueue } from './broken/broken-queues.js';
import { TwiceDeliveringPubSub } from './broken/twice-delivering-pubsub.js';

describe('each contract suite fails a broken implementation', () => {
  it('storageContract: a storage that counts a retried event twice', async () => {
    const run = await runContract(() => storageContract(() => new DoubleCountingStorage()));
    expect(run.failed).to.include('storage contract storeBatch stores a retried batch once: nothing is counted twice');
    expect(run.passed).to.include('storage contract storeBatch groups a batch into one issue per fingerprint with exact counts');
  });

  it('queueContract: a queue that resolves before the commit', async () => {
    const run = await runContract(() => queueContract(({ maxPending }) => new EarlyResolvingQueue(maxPending)));
    expect(run.failed).to.include('queue contract does not resolve an enqueue while its batch is being committed');
    expect(run.failed).to.include('queue contract hands every enqueued event to the processor exactly once');
  });

  it('queueContract: a queue that loses what is queued at stop()', async () => {
    const run = await runContract(() => queueContract(({ maxPending }) => new LossyQueue(maxPending)));
    expect(run.failed).to.deep.equal(['queue contract stop() commits what is queued before it resolves, then refuses new work']);
  });

  it('pubsubContract: a pubsub that delivers each message twice', async () => {
    const run = await runContract(() => pubsubContract(() => new TwiceDeliveringPubSub()));
    expect(run.failed).to.include('pubsub contract gives every subscriber each message exactly once');
  });
});
