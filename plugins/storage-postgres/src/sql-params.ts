/**
 * The values of one parameterised statement: `add` keeps a value and returns its placeholder ($n), so a
 * query built from parts never has a value written into its text.
 */
export class SqlParams {
  constructor(readonly values: unknown[] = []) {}

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
