/**
 * `@faultline/core/testing`: the plugin author's kit. An in-memory storage, contract suites that register
 * mocha tests against any implementation of a seam, and a real Faultline on a loopback port.
 * Imports mocha, so it is for test code only (mocha is an optional peer dependency of core).
 */
export { MemoryStorage, memoryStorage } from './memory-storage/memory-storage.js';
export { storageContract } from './contracts/storage/storage-contract.js';
export {
  groupedEvent,
  newEventId,
  nextReceivedAt,
  type EventOverrides,
  type StorageContractContext,
  type StorageFactory,
} from './contracts/storage/storage-fixtures.js';
export { queueContract, type QueueContractOptions, type QueueFactory } from './contracts/queue-contract.js';
export { pubsubContract, type PubSubFactory } from './contracts/pubsub-contract.js';
export { startTestServer, type TestServer, type TestServerOptions, type TestProject } from './test-server.js';
export { jobsContract, type JobsContractEnv } from './jobs-contract.js';
export { alertChannelContract, alertMessage, type AlertChannelHarness, type ReceivedAlert } from './alert-channel-contract.js';
