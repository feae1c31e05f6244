import type pg from 'pg';

/** One versioned schema change. `up` runs inside a transaction on the migrating session. */
export interface Migration {
  /** Sorts and identifies the migration: `NNNN-what-it-does`. Never renamed once released. */
  name: string;
  up(client: pg.ClientBase): Promise<void>;
}
