import type { MatchTerm, Pattern, SearchAst, SearchTerm, TextTerm } from '@faultline/core';
import type { SqlParams } from './sql-params.js';

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
 * The search AST as conditions on the `issues` table, every value a parameter. Issue fields (status,
 * level, release, environment, error type and value, message, counts and times) are the issue's own
 * columns; tags, user fields and stack frames reach into the issue's events (`fields`, GIN-indexed);
 * free text matches the issue's title, value and culprit or any of its events' messages and exception
 * values (`search_text`, GIN-indexed tsvector).
 */
export function issueSearchConditions(ast: SearchAst, params: SqlParams): string[] {
  const conditions: string[] = [];
  const text: TextTerm[] = [];
  for (const term of ast.terms) {
    if (term.type === 'text') text.push(term);
    else conditions.push(negate(term, condition(term, params)));
  }
  const query = textQuery(text, params);
  if (query !== null) {
    conditions.push(`(issues.search @@ ${query} OR EXISTS (${eventsOfIssue} AND ${EVENT_TSVECTOR} @@ ${query}))`);
  }
  return conditions;
}

const eventsOfIssue = 'SELECT 1 FROM events e WHERE e.project_id = issues.project_id AND e.issue_id = issues.id';

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
    case 'stack.filename':
    case 'stack.function': {
      const key = term.field === 'stack.filename' ? 'f' : 'fn';
      const each = term.values.map((p) => {
        const exact = single(p);
        if (exact !== undefined) return `e.fields @> ${params.add(JSON.stringify({ [key]: [exact] }))}::jsonb`;
        return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(e.fields -> ${params.add(key)}) AS x(v) WHERE x.v LIKE ${params.add(likePattern(p))})`;
      });
      return `EXISTS (${eventsOfIssue} AND ${anyOf(each)})`;
    }
    default: {
      const tag = term.field === 'tag' ? (term.tag as string) : term.field;
      const each = term.values.map((p) => {
        const exact = single(p);
        if (exact !== undefined) return `e.fields @> ${params.add(JSON.stringify({ t: { [tag]: exact } }))}::jsonb`;
        return `e.fields -> 't' ->> ${params.add(tag)} LIKE ${params.add(likePattern(p))}`;
      });
      return `EXISTS (${eventsOfIssue} AND ${anyOf(each)})`;
    }
  }
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
