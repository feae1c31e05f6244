import type { PgClient } from './connection.js';

/**
 * Array literals for statements sent by the simple query protocol, which is what lets a batch send BEGIN
 * with its first statement and COMMIT with its last (one round trip each instead of two: the protocol
 * takes no parameters when a message holds several statements). Numbers, ids and times are checked or
 * built here; text goes through the driver's escapeLiteral.
 */
export class SqlLiterals {
  constructor(private readonly client: PgClient) {}

  ints(values: number[], type: 'int' | 'bigint' = 'int'): string {
    for (const v of values) if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`);
    return `'{${values.join(',')}}'::${type}[]`;
  }

  /** Issue ids as the database returned them (bigint text). */
  ids(values: string[]): string {
    for (const v of values) if (!/^\d{1,19}$/.test(v)) throw new Error(`not an id: ${v}`);
    return `'{${values.join(',')}}'::bigint[]`;
  }

  /** Event ids, already normalised to 32 hex digits. */
  uuids(values: string[]): string {
    for (const v of values) if (!/^[0-9a-f]{32}$/.test(v)) throw new Error(`not an event id: ${v}`);
    return `'{${values.join(',')}}'::uuid[]`;
  }

  times(values: Date[]): string {
    return `'{${values.map((d) => `"${d.toISOString()}"`).join(',')}}'::timestamptz[]`;
  }

  /** Most values need no escaping, and the driver's escapeLiteral builds every one a character at a time. */
  texts(values: (string | null | undefined)[]): string {
    return `ARRAY[${values.map((v) => (v == null ? 'NULL' : NEEDS_ESCAPING.test(v) ? this.client.escapeLiteral(v) : `'${v}'`)).join(',')}]::text[]`;
  }
}

/** What escapeLiteral changes: a quote (doubled) or a backslash (doubled, behind E). Without either, it only quotes. */
const NEEDS_ESCAPING = /['\\]/;
