import { MemoryStorage, storageContract } from '../../src/testing/index.js';

describe('memory storage', () => {
  storageContract(() => new MemoryStorage());
});
