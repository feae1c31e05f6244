import { expect } from 'chai';
import { pubsubContract, queueContract, storageContract } from '../../src/testing/index.js';
import { runContract, type ContractRun } from '../helpers/run-contract.js';
import { DoubleCountingStorage } from './broken/double-counting-storage.js';
import { EarlyResolvingQueue, LossyQueue } from './broken/broken-queues.js';
import { TwiceDeliveringPubSub } from './broken/twice-delivering-pubsub.js';

const titles = (failed: ContractRun['failed']) => failed.map((f) => f.title);

describe('each contract suite fails a broken implementation', () => {
  it('storageContract: a storage that counts a retried event twice', async () => {
    const run = await runContract(() => storageContract(() => new DoubleCountingStorage()));
    expect(titles(run.failed)).to.include('stores a retried batch once: nothing is counted twice');
    expect(run.passed).to.include('groups a batch into one issue per fingerprint with exact counts');
  });

  it('queueContract: a queue that resolves before the commit', async () => {
    const run = await runContract(() => queueContract(({ maxPending }) => new EarlyResolvingQueue(maxPending)));
    expect(titles(run.failed)).to.include('does not resolve an enqueue while its batch is being committed');
    expect(titles(run.failed)).to.include('hands every enqueued event to the processor exactly once');
  });

  it('queueContract: a queue that loses what is queued at stop()', async () => {
    const run = await runContract(() => queueContract(({ maxPending }) => new LossyQueue(maxPending)));
    expect(titles(run.failed)).to.deep.equal(['stop() commits what is queued before it resolves, then refuses new work']);
  });

  it('pubsubContract: a pubsub that delivers each message twice', async () => {
    const run = await runContract(() => pubsubContract(() => new TwiceDeliveringPubSub()));
    expect(titles(run.failed)).to.include('gives every subscriber each message exactly once');
  });
});
