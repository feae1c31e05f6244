import type { PgClient } from './connection.js';

/**
 * A statement every batch runs, prepared once per connection with SQL `PREPARE` and run with `EXECUTE`.
 * PostgreSQL parsed, analysed and planned the batch's two big statements anew each time: ~1.5 ms of its
 * CPU a batch, a sixth of its cost per event at ten 50 KB events a batch (log_parser_stats and
 * log_planner_stats under bench:sentry). `EXECUTE` is itself a statement, so it still travels in the
 * simple query protocol with BEGIN or COMMIT in the same message.
 */
export interface PreparedStatement {
  name: string;
  /** Parameter types, as `PREPARE name(types)` takes them. */
  types: string;
  /** The statement, with $1, $2... */
  body: string;
}

/**
 * Per connection: `prepared` once it has prepared the batch's statements; `inline` once its prepared
 * statements vanished twice in a row, which is what a pooler in transaction mode (PgBouncer) does, as it
 * hands each transaction a server session of its choice. Such a connection sends statements in full.
 */
const modes = new WeakMap<PgClient, 'prepared' | 'lost once' | 'inline'>();

/** Prepares the statements on this connection unless it has done so already, or sends them inline. */
export async function ensurePrepared(client: PgClient, statements: readonly PreparedStatement[]): Promise<void> {
  const mode = modes.get(client);
  if (mode === 'prepared' || mode === 'inline') return;
  for (const s of statements) {
    try {
      await client.query(`PREPARE ${s.name}(${s.types}) AS ${s.body}`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42P05') throw err; // duplicate_prepared_statement: still there
    }
  }
  modes.set(client, mode === 'lost once' ? 'lost once' : 'prepared');
}

/**
 * Whether a statement failed because the session lost its prepared statements (`DISCARD ALL` or
 * `DEALLOCATE` by a pooler, say). The next attempt prepares them again; if they are lost again before
 * they are used, the connection sends its statements inline from then on.
 */
export function lostPreparedStatements(client: PgClient, err: unknown): boolean {
  if ((err as { code?: string }).code !== '26000') return false; // invalid_sql_statement_name
  modes.set(client, modes.get(client) === 'lost once' ? 'inline' : 'lost once');
  return true;
}

/** Marks a connection's prepared statements as working (a batch used them). */
export function preparedStatementsWorked(client: PgClient): void {
  if (modes.get(client) === 'lost once') modes.set(client, 'prepared');
}

/**
 * The statement to send with the arguments (SQL expressions: literals from SqlLiterals): `EXECUTE
 * name(...)`, or the statement itself with the arguments in place of $1, $2... on an inline connection.
 */
export function execute(client: PgClient, statement: PreparedStatement, args: readonly string[]): string {
  if (modes.get(client) === 'inline') return statement.body.replace(/\$(\d+)/g, (_, n: string) => `(${args[Number(n) - 1]})`);
  return `EXECUTE ${statement.name}(${args.join(', ')})`;
}
