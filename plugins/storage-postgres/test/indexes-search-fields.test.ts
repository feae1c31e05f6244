import { expect } from 'chai';
import { PostgresStorage } from '../src/postgres-storage.js';

describe('indexesSearchFields: whether ingest builds search fields for this storage', () => {
  it('is true unless searchIndex is off, when storage writes no search columns and ingest need not build them', () => {
    const url = 'postgres://faultline@127.0.0.1:5432/unused';
    expect(new PostgresStorage({ url }).indexesSearchFields).to.equal(true);
    expect(new PostgresStorage({ url, searchIndex: true }).indexesSearchFields).to.equal(true);
    expect(new PostgresStorage({ url, searchIndex: false }).indexesSearchFields).to.equal(false);
  });
});
