import { FaultlineError } from '../errors.js';
import { LEVELS } from '../event/types.js';
import type { Comparison, MatchTerm, Pattern, SearchAst, SearchTerm } from '../providers/search-ast.js';
import { SEARCH_KEYS, STATUS_ALIASES } from './search-keys.js';

export interface ParseSearchOptions {
  /** What relative times (`lastSeen:-24h`) count back from. */
  now?: Date;
  /** The name positions are reported under: `query[17]`. */
  path?: string;
}

/** At most this many terms, values in a list, and characters in one value. */
export const SEARCH_LIMITS = { terms: 50, listValues: 100, valueChars: 500 } as const;

const KEY_START = /[A-Za-z_]/;
const KEY_CHAR = /[A-Za-z0-9_.\-]/;
const SPACE = /\s/u;
const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const ABSOLUTE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Parses the issue search language (README, "Searching") by recursive descent over the query's code
 * points, so an error's position counts characters as a person does, whatever the script. A malformed
 * query is FAULTLINE_ERR_QUERY_INVALID with `path` `query[<position>]` and a message saying what was
 * expected there.
 *
 *   query   := term*                          (separated by white space)
 *   term    := '!'? key ':' value | phrase | word
 *   key     := name | 'tags[' tagname ']'
 *   value   := list | comparison? scalar
 *   list    := '[' scalar (',' scalar)* ']'
 *   scalar  := '"' chars '"' | chars-without-space
 */
export function parseSearchQuery(query: string, options: ParseSearchOptions = {}): SearchAst {
  return new Parser(Array.from(query), options.now ?? new Date(), options.path ?? 'query').parse();
}

class Parser {
  private pos = 0;

  constructor(
    private readonly chars: string[],
    private readonly now: Date,
    private readonly path: string,
  ) {}

  parse(): SearchAst {
    const terms: SearchTerm[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.chars.length) break;
      if (terms.length >= SEARCH_LIMITS.terms) throw this.error(`at most ${SEARCH_LIMITS.terms} terms`);
      terms.push(...this.term());
      const next = this.peek();
      if (next !== undefined && !SPACE.test(next)) throw this.error('a space between terms');
    }
    return { terms };
  }

  private term(): SearchTerm[] {
    const start = this.pos;
    if (this.peek() === '"') {
      const value = this.quoted();
      if (value.trim() === '') return [];
      return [{ type: 'text', value, phrase: true, negated: false, position: start }];
    }
    const negated = this.peek() === '!';
    if (negated) this.pos++;
    const key = this.key();
    if (key !== null && this.peek() === ':') {
      this.pos++;
      return this.filter(key, negated, start);
    }
    if (negated) {
      this.pos = start + 1;
      throw this.error('a key after "!" (as in !level:error)');
    }
    this.pos = start;
    return [{ type: 'text', value: this.bare(), phrase: false, negated: false, position: start }];
  }

  /** A key name, or null if the characters here cannot be one (then the term is a word). */
  private key(): { name: string; tag?: string; at: number } | null {
    const at = this.pos;
    if (!KEY_START.test(this.peek() ?? '')) return null;
    let name = '';
    while (this.pos < this.chars.length && KEY_CHAR.test(this.chars[this.pos])) name += this.chars[this.pos++];
    if (this.peek() !== '[') return { name, at };
    if (name !== 'tags') return null;
    this.pos++;
    let tag = '';
    while (this.pos < this.chars.length && this.chars[this.pos] !== ']' && !SPACE.test(this.chars[this.pos])) tag += this.chars[this.pos++];
    if (this.peek() !== ']') throw this.error('"]" closing the tag name');
    if (tag === '') throw this.error('a tag name inside tags[...]');
    this.pos++;
    return { name, tag, at };
  }

  private filter(key: { name: string; tag?: string; at: number }, negated: boolean, start: number): SearchTerm[] {
    const known = key.tag === undefined ? SEARCH_KEYS[key.name] : undefined;
    if (this.pos >= this.chars.length || SPACE.test(this.chars[this.pos])) {
      throw this.error(`a value after "${key.name}${key.tag === undefined ? '' : `[${key.tag}]`}:"`);
    }
    if (known?.kind === 'number') {
      const op = this.comparison();
      const at = this.pos;
      const text = this.bare();
      if (!/^\d{1,15}$/.test(text)) throw this.error(`a whole number for ${key.name}:`, at);
      return [{ type: 'number', field: known.field, op, value: Number(text), negated, position: start }];
    }
    if (known?.kind === 'time') return this.time(known.field, negated, start, key.name);
    const values = this.peek() === '[' ? this.list() : [this.pattern()];
    const term: MatchTerm = { type: 'match', field: known?.field ?? 'tag', values: values.map((v) => v.pattern), negated, position: start };
    if (!known) term.tag = key.tag ?? key.name;
    if (term.field === 'status') {
      term.values = values.map((v) => ({ pieces: [this.oneOf(v, STATUS_ALIASES, 'is:')] }));
    } else if (term.field === 'level') {
      const levels = Object.fromEntries(LEVELS.map((l) => [l, l]));
      term.values = values.map((v) => ({ pieces: [this.oneOf(v, levels, 'level:')] }));
    }
    return [term];
  }

  private oneOf(v: { pattern: Pattern; at: number }, allowed: Record<string, string>, key: string): string {
    const name = v.pattern.pieces.length === 1 ? allowed[v.pattern.pieces[0]] : undefined;
    if (name === undefined) throw this.error(`one of ${Object.keys(allowed).join(', ')} after ${key}`, v.at);
    return name;
  }

  private time(field: 'first_seen' | 'last_seen', negated: boolean, start: number, key: string): SearchTerm[] {
    const sign = this.peek();
    if (sign === '-' || sign === '+') {
      // Sentry's relative times: -24h is "within the last 24 hours", +24h "more than 24 hours ago".
      this.pos++;
      const at = this.pos;
      const m = /^(\d{1,6})([smhdw])$/.exec(this.bare());
      if (!m) throw this.error(`a duration such as 24h, 7d, 30m or 2w after ${key}:${sign}`, at);
      const value = new Date(this.now.getTime() - Number(m[1]) * UNITS[m[2]]);
      return [{ type: 'time', field, op: sign === '-' ? 'gte' : 'lt', value, negated, position: start }];
    }
    const op = this.comparison();
    const at = this.pos;
    const text = this.bare();
    const value = ABSOLUTE_TIME.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00Z` : text) : new Date(NaN);
    if (Number.isNaN(value.getTime())) {
      throw this.error(`a date (2026-01-01 or 2026-01-01T12:00:00Z) or a relative time (-24h) after ${key}:`, at);
    }
    if (op !== 'eq') return [{ type: 'time', field, op, value, negated, position: start }];
    if (text.length !== 10) throw this.error(`a comparison (>, >=, <, <=) before a time, or a date alone for that day`, at);
    if (negated) throw this.error(`a comparison for a negated date (as in !${key}:>=${text})`, at);
    const next = new Date(value.getTime() + 86_400_000);
    return [
      { type: 'time', field, op: 'gte', value, negated, position: start },
      { type: 'time', field, op: 'lt', value: next, negated, position: start },
    ];
  }

  private comparison(): Comparison {
    const two = (this.peek() ?? '') + (this.chars[this.pos + 1] ?? '');
    if (two === '>=' || two === '<=') {
      this.pos += 2;
      return two === '>=' ? 'gte' : 'lte';
    }
    const one = this.peek();
    if (one === '>' || one === '<' || one === '=') {
      this.pos++;
      return one === '>' ? 'gt' : one === '<' ? 'lt' : 'eq';
    }
    return 'eq';
  }

  private list(): { pattern: Pattern; at: number }[] {
    this.pos++; // [
    const values: { pattern: Pattern; at: number }[] = [];
    for (;;) {
      this.skipSpace();
      if (values.length >= SEARCH_LIMITS.listValues) throw this.error(`at most ${SEARCH_LIMITS.listValues} values in a list`);
      values.push(this.pattern(true));
      this.skipSpace();
      const c = this.peek();
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return values;
      }
      throw this.error(c === undefined ? '"]" closing the list' : '"," or "]" in the list');
    }
  }

  /** One value: quoted, or bare up to white space (and, inside a list, up to "," or "]"). */
  private pattern(inList = false): { pattern: Pattern; at: number } {
    const at = this.pos;
    const c = this.peek();
    if (c === undefined || SPACE.test(c) || (inList && (c === ',' || c === ']'))) throw this.error('a value');
    const pieces = c === '"' ? this.pieces(true, inList) : this.pieces(false, inList);
    return { pattern: { pieces }, at };
  }

  /** Reads a value as the literal pieces between unescaped `*`; `\*`, `\"` and `\\` are literal. */
  private pieces(quoted: boolean, inList: boolean): string[] {
    const start = this.pos;
    if (quoted) this.pos++;
    const pieces = [''];
    let length = 0;
    for (;;) {
      const c = this.chars[this.pos];
      if (c === undefined) {
        if (quoted) throw this.error('a closing quote (") for the value that starts at ' + start);
        break;
      }
      if (quoted && c === '"') {
        this.pos++;
        break;
      }
      if (!quoted && (SPACE.test(c) || (inList && (c === ',' || c === ']')))) break;
      if (++length > SEARCH_LIMITS.valueChars) throw this.error(`a value of at most ${SEARCH_LIMITS.valueChars} characters`);
      if (c === '\\' && quoted && this.chars[this.pos + 1] !== undefined) {
        pieces[pieces.length - 1] += this.chars[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '*') pieces.push('');
      else pieces[pieces.length - 1] += c;
      this.pos++;
    }
    return pieces;
  }

  /** A quoted phrase of free text (no wildcards). */
  private quoted(): string {
    return this.pieces(true, false).join('*');
  }

  /** A bare word up to white space. */
  private bare(): string {
    let text = '';
    while (this.pos < this.chars.length && !SPACE.test(this.chars[this.pos])) {
      text += this.chars[this.pos++];
      if (text.length > SEARCH_LIMITS.valueChars) throw this.error(`a word of at most ${SEARCH_LIMITS.valueChars} characters`);
    }
    return text;
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private skipSpace(): void {
    while (this.pos < this.chars.length && SPACE.test(this.chars[this.pos])) this.pos++;
  }

  private error(expected: string, at = this.pos): FaultlineError {
    const found = at < this.chars.length ? `"${this.chars[at]}"` : 'the end of the query';
    return new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', `Expected ${expected} at position ${at}, found ${found}`, {
      path: `${this.path}[${at}]`,
    });
  }
}
