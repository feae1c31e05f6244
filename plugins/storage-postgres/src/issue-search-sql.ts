import type { MatchTerm, Pattern, SearchAst, SearchTerm, TextTerm } from '@faultline/core';
import { SqlParams } from './sql-params.js';

/** Issue columns per field the issues table answers. */
const ISSUE_COLUMNS = {
  status: 'status',
  level: 'level',
  release: 'release',
  environment: 'environment',
  'error.type': 'type',
  'error.value': 'value',
} as const;
const OPERATORS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
/** What `events_search_idx` indexes: a condition must use this very expression to use the index. */
const EVENT_TSVECTOR = `to_tsvector('simple', e.search_text)`;

/**
 * How a condition on an issue's events is evaluated. `set`: the matching events are found through their
 * GIN index and their issues hashed (best when few events match). `per-issue`: each issue, in the sort's
 * order, looks for a matching event through the (project, issue, time) index (best when many match: the
 * page fills after a few issues). PostgreSQL's own choice rests on estimates that multiply the
 * frequencies of words found together, off tenfold for a common phrase; search-queries.ts measures.
 */
export type EventScan = 'set' | 'per-issue';

/** An event condition (on `events e`) that may be worth measuring before choosing its EventScan. */
export interface EventCondition {
  sql: string;
  scan: EventScan;
  /** The condition alone with its own parameters ($1 is the first of the query's: the project). */
  probe: { sql: string; values: unknown[] };
}

/**
 * The search AST as conditions on the `issues` table, every value a parameter. Issue fields (status,
 * level, release, environment, error type and value, message, counts and times) are the issue's own
 * columns; tags, user fields and stack frames reach into the issue's events (`fields`, GIN-indexed);
 * free text matches the issue's title, value and culprit or any of its events' messages and exception
 * values (`search_text`, GIN-indexed tsvector). `events` collects the event conditions of free text and
 * negated terms, whose `scan` the caller may change before joining the conditions (`render`).
 */
export function issueSearchConditions(ast: SearchAst, params: SqlParams): { render(): string[]; measurable: EventCondition[] } {
  const parts: (string | (() => string))[] = [];
  const measurable: EventCondition[] = [];
  const text: TextTerm[] = [];
  for (const term of ast.terms) {
    if (term.type === 'text') text.push(term);
    else if (term.type === 'match' && isEventField(term) && term.negated) {
      const own = new SqlParams([params.values[0]]);
      const cond: EventCondition = { sql: eventCondition(term, params), scan: 'set', probe: { sql: eventCondition(term, own), values: own.values } };
      measurable.push(cond);
      parts.push(() => `NOT ${existsEvent(cond)}`);
    } else parts.push(negate(term, condition(term, params)));
  }
  const query = textQuery(text, params);
  if (query !== null) {
    const own = new SqlParams([params.values[0]]);
    const probe = { sql: `${EVENT_TSVECTOR} @@ ${textQuery(text, own) as string}`, values: own.values };
    const cond: EventCondition = { sql: `${EVENT_TSVECTOR} @@ ${query}`, scan: 'set', probe };
    measurable.push(cond);
    parts.push(() => `(issues.search @@ ${query} OR ${existsEvent(cond)})`);
  }
  return { render: () => parts.map((p) => (typeof p === 'string' ? p : p())), measurable };
}

const eventsOfIssue = 'SELECT 1 FROM events e WHERE e.project_id = issues.project_id AND e.issue_id = issues.id';

/** `OFFSET 0` keeps the subquery correlated: PostgreSQL then cannot turn it into a hashed set. */
function existsEvent(cond: EventCondition): string {
  return `EXISTS (${eventsOfIssue} AND ${cond.sql}${cond.scan === 'per-issue' ? ' OFFSET 0' : ''})`;
}

function isEventField(term: MatchTerm): boolean {
  return term.field === 'tag' || term.field.startsWith('user.') || term.field.startsWith('stack.');
}

function negate(term: SearchTerm, sql: string): string {
  return term.negated ? `NOT coalesce(${sql}, false)` : sql;
}

function condition(term: Exclude<SearchTerm, TextTerm>, params: SqlParams): string {
  switch (term.type) {
    case 'number':
      return `${term.field === 'times_seen' ? 'count' : 'user_count'} ${OPERATORS[term.op]} ${params.add(term.value)}::bigint`;
    case 'time':
      return `${term.field} ${OPERATORS[term.op]} ${params.add(term.value.toISOString())}::timestamptz`;
    case 'match':
      return match(term, params);
  }
}

function match(term: MatchTerm, params: SqlParams): string {
  switch (term.field) {
    case 'status':
    case 'level':
    case 'release':
    case 'environment':
    case 'error.type':
    case 'error.value':
      return columnMatch(ISSUE_COLUMNS[term.field], term.values, params);
    case 'message':
      // Sentry's message search: the title contains the value, in any case.
      return anyOf(term.values.map((p) => `title ILIKE ${params.add(`%${likePattern(p)}%`)}`));
    default:
      return `EXISTS (${eventsOfIssue} AND ${eventCondition(term, params)})`;
  }
}

/** A tag, user field or stack frame term as a condition on one event (`e`). */
function eventCondition(term: MatchTerm, params: SqlParams): string {
  if (term.field === 'stack.filename' || term.field === 'stack.function') {
    const key = term.field === 'stack.filename' ? 'f' : 'fn';
    return anyOf(
      term.values.map((p) => {
        const exact = single(p);
        if (exact !== undefined) return `e.fields @> ${params.add(JSON.stringify({ [key]: [exact] }))}::jsonb`;
        return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.fields -> ${params.add(key)}) AS x(v) WHERE x.v LIKE ${params.add(likePattern(p))})`;
      }),
    );
  }
  const tag = term.field === 'tag' ? (term.tag as string) : term.field;
  return anyOf(
    term.values.map((p) => {
      const exact = single(p);
      if (exact !== undefined) return `e.fields @> ${params.add(JSON.stringify({ t: { [tag]: exact } }))}::jsonb`;
      return `e.fields -> 't' ->> ${params.add(tag)} LIKE ${params.add(likePattern(p))}`;
    }),
  );
}

/** Exact values as one `= ANY` (an index lookup), wildcard values as LIKE each. */
function columnMatch(column: string, values: Pattern[], params: SqlParams): string {
  const exact = values.map(single).filter((v): v is string => v !== undefined);
  const parts = exact.length > 0 ? [`${column} = ANY (${params.add(exact)}::text[])`] : [];
  for (const p of values) if (single(p) === undefined) parts.push(`${column} LIKE ${params.add(likePattern(p))}`);
  return anyOf(parts);
}

/** Words and phrases, all required, as one tsquery; null when no term has anything to search for. */
function textQuery(terms: TextTerm[], params: SqlParams): string | null {
  const parts: string[] = [];
  for (const t of terms) {
    if (!/[\p{L}\p{N}]/u.test(t.value)) continue; // punctuation alone makes an empty tsquery, which matches nothing
    if (t.phrase) parts.push(`phraseto_tsquery('simple', ${params.add(t.value)})`);
    else if (t.value.endsWith('*') && /[\p{L}\p{N}]/u.test(t.value.slice(0, -1))) {
      // A trailing star is a prefix search: the lexemes of the word, the last one as a prefix.
      parts.push(`(plainto_tsquery('simple', ${params.add(t.value.slice(0, -1))})::text || ':*')::tsquery`);
    } else parts.push(`plainto_tsquery('simple', ${params.add(t.value)})`);
  }
  return parts.length === 0 ? null : `(${parts.join(' && ')})`;
}

function single(p: Pattern): string | undefined {
  return p.pieces.length === 1 ? p.pieces[0] : undefined;
}

/** The pattern for LIKE: pieces with LIKE's own characters escaped, joined by %. */
function likePattern(p: Pattern): string {
  return p.pieces.map((piece) => piece.replace(/[\\%_]/g, (c) => `\\${c}`)).join('%');
}

function anyOf(parts: string[]): string {
  return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
}
