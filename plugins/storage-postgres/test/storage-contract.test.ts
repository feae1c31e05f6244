import { storageContract } from '@faultline/core/testing';
import { PostgresStorage } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('storage-postgres: the storage contract', () => {
  let db: TestDatabase | null = null;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.drop();
  });
  storageContract(() => new PostgresStorage({ url: db!.url }));
});
