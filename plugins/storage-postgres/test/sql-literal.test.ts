import { expect } from 'chai';
import pg from 'pg';
import { SqlLiterals } from '../src/sql-literal.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

describe('SqlLiterals: text arrays sent as literals', () => {
  let db: TestDatabase;
  let client: pg.Client;
  before(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    await db?.drop();
  });

  const hostile = ["plain", "it's", "a\\b", "\\'; DROP TABLE events; --", "''", "\\", "$1", "$$x$$", "ошибка 支付 🎉", "", "tab\there", "line\nbreak", "E'x'", '"quoted"', "{a,b}", "NULL"];

  it('reads back every value as it was, hostile ones included, and NULL as null', async () => {
    const sql = new SqlLiterals(client as never);
    const { rows } = await client.query<{ v: string | null }>(`SELECT unnest(${sql.texts([...hostile, null])}) AS v`);
    expect(rows.map((r) => r.v)).to.deep.equal([...hostile, null]);
  });

  it('writes each value as the driver\'s escapeLiteral does', () => {
    const sql = new SqlLiterals(client as never);
    expect(sql.texts(hostile)).to.equal(`ARRAY[${hostile.map((v) => client.escapeLiteral(v)).join(',')}]::text[]`);
  });
});
