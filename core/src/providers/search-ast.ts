/**
 * The issue search language as a typed tree: what `parseSearchQuery` returns and every `search` provider
 * translates (PostgreSQL to parameterised SQL, OpenSearch to its query DSL). Terms are ANDed.
 */
export interface SearchAst {
  terms: SearchTerm[];
}

export type SearchTerm = MatchTerm | NumberTerm | TimeTerm | TextTerm;

/** Fields matched against strings (`key:value`, `key:[a, b]`, wildcards). */
export type MatchField =
  | 'status'
  | 'level'
  | 'release'
  | 'environment'
  | 'user.id'
  | 'user.email'
  | 'user.username'
  | 'user.ip'
  | 'message'
  | 'error.type'
  | 'error.value'
  | 'stack.filename'
  | 'stack.function'
  | 'tag';

export type NumberField = 'times_seen' | 'user_count';
export type TimeField = 'first_seen' | 'last_seen';
export type Comparison = 'eq' | 'gt' | 'gte' | 'lt' | 'lte';

/**
 * A value to match: the literal pieces between `*` wildcards. `['TypeError']` is an exact match,
 * `['Type', '']` is `Type*`, `['', 'Error']` is `*Error`.
 */
export interface Pattern {
  pieces: string[];
}

interface TermBase {
  /** Index (in code points) of the term's first character in the query. */
  position: number;
  /** `!key:value`: the term must not hold. */
  negated: boolean;
}

/** `key:value` on a string field: any of `values` matches. `status` and `level` values are validated. */
export interface MatchTerm extends TermBase {
  type: 'match';
  field: MatchField;
  /** The tag name when field is `tag`. */
  tag?: string;
  values: Pattern[];
}

export interface NumberTerm extends TermBase {
  type: 'number';
  field: NumberField;
  op: Comparison;
  value: number;
}

/** Times are absolute: a relative `-24h` was resolved against the parse's `now`. */
export interface TimeTerm extends TermBase {
  type: 'time';
  field: TimeField;
  op: Exclude<Comparison, 'eq'>;
  value: Date;
}

/** Free text: a word, or a quoted phrase whose words must appear in order. */
export interface TextTerm extends TermBase {
  type: 'text';
  value: string;
  phrase: boolean;
}

/** A pattern with no wildcard: its one piece. */
export function exactValue(p: Pattern): string | undefined {
  return p.pieces.length === 1 ? p.pieces[0] : undefined;
}
