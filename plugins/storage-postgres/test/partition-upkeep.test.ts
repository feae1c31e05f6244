import { expect } from 'chai';
import pg from 'pg';
import { pino } from 'pino';
import { createFaultline, type Faultline } from '@faultline/core';
import { storagePostgres } from '../src/index.js';
import { partitionName, utcDay } from '../src/partitions.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('partition upkeep runs on the jobs scheduler', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let faultline: Faultline;
  let sql: pg.Client;

  before(async () => {
    db = await createTestDatabase();
    faultline = await createFaultline({
      logger: pino({ level: 'silent' }),
      defaultMetrics: false,
      retentionSchedule: false,
      plugins: [storagePostgres({ url: db.url, maintenanceCron: '* * * * * *' })],
    });
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await faultline?.stop();
    await db?.drop();
  });

  it('makes a missing partition ahead again on its next slot', async () => {
    const name = partitionName(new Date(utcDay(new Date()).getTime() + 3 * 86_400_000));
    const exists = async () => (await sql.query('SELECT 1 FROM pg_class WHERE relname = $1', [name])).rowCount === 1;
    expect(await exists()).to.equal(true);
    await sql.query(`ALTER TABLE events DETACH PARTITION ${name}`);
    await sql.query(`DROP TABLE ${name}`);
    let back = false;
    for (let i = 0; i < 100 && !back; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      back = await exists();
    }
    expect(back).to.equal(true);
    const { rows } = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM scheduled_runs WHERE name = 'storage-postgres:partitions'`);
    expect(Number(rows[0].n)).to.be.greaterThan(0);
  });
});
