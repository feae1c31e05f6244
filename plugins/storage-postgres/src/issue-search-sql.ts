import type { MatchTerm, Pattern, SearchAst, SearchTerm, TextTerm } from '@faultline/core';
import { SqlParams } from './sql-params.js';
import { USER_FIELDS, type UserField } from './user-pairs.js';

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
 * The same, where the index must not be used: an issue checked on its own events (`per-issue`). With the
 * indexed expression PostgreSQL may AND the issue's few events with the GIN index's bitmap of every event
 * that matches, built again for each issue: slow for common words (bench:query --explain shows the plan).
 */
const EVENT_TSVECTOR_UNINDEXED = `to_tsvector('simple', coalesce(e.search_text, ''))`;
const EVENT_FIELDS_UNINDEXED = `coalesce(e.fields, '{}'::jsonb)`;

/**
 * How a condition on an issue's events is evaluated. `exists`: PostgreSQL's own plan for `EXISTS`.
 * `per-issue`: each issue, in the sort's order, looks for a matching row through an index on the issue
 * (events: (project, issue, time); issue_tags, issue_users: their primary keys), best when many issues match (the page
 * fills after a few issues). `issues`: the issues that match are known (counted through an index), so the
 * condition is an id list, which also lets free text use the issues' own GIN index beside it. `hashed`:
 * the matching rows' issues read once from the lookup index into a hashed set, for a negated tag or user
 * condition too common to probe issue by issue (most issues have it, so a page needs many probes).
 * PostgreSQL's estimates multiply the frequencies of words found together, off tenfold for a common
 * phrase: search-queries.ts measures.
 */
export type EventScan = { kind: 'exists' } | { kind: 'per-issue' } | { kind: 'issues'; ids: string[] } | { kind: 'hashed' };

/**
 * A condition on one row about the issue's events, to be measured before choosing its EventScan: an
 * event (`events e`: free text, stack frames), one of the issue's tags (`issue_tags t`) or one of its
 * users (`issue_users u`: user fields).
 */
export interface EventCondition {
  source: 'events' | 'tags' | 'users';
  /** The term is negated: issues with no such row. */
  negated: boolean;
  /**
   * The condition's SQL, its values added to `params` (built only where the query uses it); `perIssue`: on
   * one issue's rows found through their issue, so written not to use the source's GIN index.
   */
  build(params: SqlParams, perIssue?: boolean): string;
  scan: EventScan;
}

/** The search as conditions on `issues`; `render` writes them into one statement's parameters. */
export interface IssueSearchConditions {
  /**
   * The conditions' SQL, values added to `params` (whose $1 is the project), as each event condition's
   * `scan` says at the time; `which` picks the parts to write by their event condition (null: a part on
   * the issue's own columns).
   */
  render(params: SqlParams, which?: (cond: EventCondition | null) => boolean): string[];
  events: EventCondition[];
}

/**
 * The search AST as conditions on the `issues` table, every value a parameter. Issue fields (status,
 * level, release, environment, error type and value, message, counts and times) are the issue's own
 * columns; tags are the issue's rows in `issue_tags` (migration 0009), user fields its users' terms in
 * `issue_users` (migration 0010); stack frames are the issue's own (`issue_frames`, migration 0013) or reach
 * into the issue's events (`fields`, GIN-indexed); free text matches the issue's title, value and culprit
 * or any of its events' messages and exception values (`search_text`, GIN-indexed tsvector). `events`
 * lists the conditions on events and tags, whose `scan` the caller may set before rendering.
 */
export function issueSearchConditions(ast: SearchAst): IssueSearchConditions {
  const parts: { cond: EventCondition | null; sql(p: SqlParams): string }[] = [];
  const events: EventCondition[] = [];
  const text: TextTerm[] = [];
  for (const term of ast.terms) {
    if (term.type === 'text') text.push(term);
    else if (term.type === 'match' && isEventField(term)) {
      const source = term.field.startsWith('stack.') ? 'events' : term.field.startsWith('user.') ? 'users' : 'tags';
      const build = (p: SqlParams, perIssue = false) =>
        source === 'events' ? frameCondition(term, p, perIssue ? EVENT_FIELDS_UNINDEXED : 'e.fields') : source === 'users' ? userCondition(term, p) : tagCondition(term, p);
      const cond: EventCondition = { source, negated: term.negated, build, scan: { kind: 'exists' } };
      events.push(cond);
      if (source !== 'events') parts.push({ cond, sql: (p) => `${term.negated ? 'NOT ' : ''}${issuesWith(cond, p)}` });
      else {
        // An issue is found by its own frames, or by its events' where they differ (search-columns.ts).
        const own = (p: SqlParams) => `EXISTS (SELECT 1 FROM issue_frames f WHERE f.issue_id = issues.id AND ${frameCondition(term, p, 'f.frames')})`;
        parts.push({ cond, sql: (p) => (term.negated ? `(NOT ${own(p)} AND NOT ${issuesWith(cond, p)})` : `(${own(p)} OR ${issuesWith(cond, p)})`) });
      }
    } else parts.push({ cond: null, sql: (p) => negate(term, condition(term, p)) });
  }
  if (text.some(searchable)) {
    // The issue's own text and its events' share one tsquery parameter per statement.
    const queries = new WeakMap<SqlParams, string>();
    const query = (p: SqlParams) => {
      let q = queries.get(p);
      if (q === undefined) queries.set(p, (q = textQuery(text, p)));
      return q;
    };
    const build = (p: SqlParams, perIssue = false) => `${perIssue ? EVENT_TSVECTOR_UNINDEXED : EVENT_TSVECTOR} @@ ${query(p)}`;
    const cond: EventCondition = { source: 'events', negated: false, build, scan: { kind: 'exists' } };
    events.push(cond);
    parts.push({ cond, sql: (p) => `(issues.search @@ ${query(p)} OR ${issuesWith(cond, p)})` });
  }
  return { render: (p, which = () => true) => parts.filter((part) => which(part.cond)).map((part) => part.sql(p)), events };
}

/** The table of each condition source, and the alias its conditions use. */
const SOURCES = { events: ['events', 'e'], tags: ['issue_tags', 't'], users: ['issue_users', 'u'] } as const;

/** `<alias>.issue_id FROM <table> <alias> WHERE <alias>.project_id = <project>`: a source's rows in one project. */
export function sourceRows(source: EventCondition['source'], project: string): string {
  const [table, alias] = SOURCES[source];
  return `${alias}.issue_id FROM ${table} ${alias} WHERE ${alias}.project_id = ${project}`;
}

/** The rows a condition's source has about one issue. */
function rowsOfIssue(cond: EventCondition): string {
  return `SELECT ${sourceRows(cond.source, 'issues.project_id')} AND ${SOURCES[cond.source][1]}.issue_id = issues.id`;
}

/** True for an issue with an event (or tag) matching `cond`, as its scan says. */
function issuesWith(cond: EventCondition, params: SqlParams): string {
  switch (cond.scan.kind) {
    case 'hashed':
      // Negated, this is PostgreSQL's NOT IN over a hashed set (issue_id is never null).
      return `issues.id IN (SELECT ${sourceRows(cond.source, '$1')} AND ${cond.build(params)})`;
    case 'issues':
      return `issues.id = ANY (${params.add(cond.scan.ids)}::bigint[])`;
    case 'per-issue':
      // OFFSET 0 keeps the subquery correlated: PostgreSQL cannot turn it into a hashed set.
      return `EXISTS (${rowsOfIssue(cond)} AND ${cond.build(params, true)} OFFSET 0)`;
    case 'exists':
      return `EXISTS (${rowsOfIssue(cond)} AND ${cond.build(params)})`;
  }
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
      throw new Error(`${term.field} is an event field`); // issueSearchConditions takes those apart
  }
}

/** A stack frame term as a condition on one event's frames (`e.fields`) or the issue's own (`issue_frames f`). */
function frameCondition(term: MatchTerm, params: SqlParams, column: 'e.fields' | 'f.frames' | typeof EVENT_FIELDS_UNINDEXED): string {
  const key = term.field === 'stack.filename' ? 'f' : 'fn';
  return anyOf(
    term.values.map((p) => {
      const exact = single(p);
      if (exact !== undefined) return `${column} @> ${params.add(JSON.stringify({ [key]: [exact] }))}::jsonb`;
      return `EXISTS (SELECT 1 FROM jsonb_array_elements_text(${column} -> ${params.add(key)}) AS x(v) WHERE x.v LIKE ${params.add(likePattern(p))})`;
    }),
  );
}

/** A tag term as a condition on one of the issue's tags (`t`). */
function tagCondition(term: MatchTerm, params: SqlParams): string {
  return `t.key = ${params.add(term.tag as string)} AND ${columnMatch('t.value', term.values, params)}`;
}

/**
 * A user field term as a condition on one of the issue's users (`u`), whose terms are `field:value`:
 * exact values as one overlap (`&&`, the terms' GIN index), wildcard values as LIKE over each term.
 */
function userCondition(term: MatchTerm, params: SqlParams): string {
  const prefix = `${USER_FIELDS[term.field as UserField]}:`;
  const exact = term.values.map(single).filter((v): v is string => v !== undefined);
  const parts = exact.length > 0 ? [`u.terms && ${params.add(exact.map((v) => prefix + v))}::text[]`] : [];
  for (const p of term.values) {
    if (single(p) === undefined) parts.push(`EXISTS (SELECT 1 FROM unnest(u.terms) AS x(v) WHERE x.v LIKE ${params.add(prefix + likePattern(p))})`);
  }
  return anyOf(parts);
}

/** Exact values as one `= ANY` (an index lookup), wildcard values as LIKE each. */
function columnMatch(column: string, values: Pattern[], params: SqlParams): string {
  const exact = values.map(single).filter((v): v is string => v !== undefined);
  const parts = exact.length > 0 ? [`${column} = ANY (${params.add(exact)}::text[])`] : [];
  for (const p of values) if (single(p) === undefined) parts.push(`${column} LIKE ${params.add(likePattern(p))}`);
  return anyOf(parts);
}

/** Punctuation alone makes an empty tsquery, which matches nothing: such a term searches for nothing. */
function searchable(t: TextTerm): boolean {
  return /[\p{L}\p{N}]/u.test(t.value);
}

/** The words and phrases that have anything to search for (searchable), all required, as one tsquery. */
function textQuery(terms: TextTerm[], params: SqlParams): string {
  const parts: string[] = [];
  for (const t of terms) {
    if (!searchable(t)) continue;
    if (t.phrase) parts.push(`phraseto_tsquery('simple', ${params.add(t.value)})`);
    else if (t.value.endsWith('*') && /[\p{L}\p{N}]/u.test(t.value.slice(0, -1))) {
      // A trailing star is a prefix search: the lexemes of the word, the last one as a prefix.
      parts.push(`(plainto_tsquery('simple', ${params.add(t.value.slice(0, -1))})::text || ':*')::tsquery`);
    } else parts.push(`plainto_tsquery('simple', ${params.add(t.value)})`);
  }
  return `(${parts.join(' && ')})`;
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
