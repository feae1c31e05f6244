import type { MatchTerm, Pattern, SearchAst, SearchTerm, TextTerm } from '@faultline/core';

type Dsl = Record<string, unknown>;

/**
 * The terms an event index answers: tags, user fields, stack frames and free text. The others (status,
 * level, release, environment, message, error type and value, counts, first and last seen) are issue
 * fields, answered by the storage (the source of truth), so both providers agree on what they mean.
 */
export function isEventTerm(term: SearchTerm): boolean {
  if (term.type === 'text') return true;
  if (term.type !== 'match') return false;
  return term.field === 'tag' || term.field.startsWith('user.') || term.field.startsWith('stack.');
}

export interface EventQueries {
  /** Each must hold for some event of an issue (each on its own, as in PostgreSQL). */
  required: Dsl[];
  /** An issue with an event matching any of these is left out. */
  excluded: Dsl[];
  /** The issue terms, for the storage. */
  rest: SearchTerm[];
}

/** Splits the AST: event terms as query DSL (free text as one query), the rest for the storage. */
export function eventQueries(ast: SearchAst): EventQueries {
  const out: EventQueries = { required: [], excluded: [], rest: [] };
  const text: TextTerm[] = [];
  for (const term of ast.terms) {
    if (!isEventTerm(term)) out.rest.push(term);
    else if (term.type === 'text') text.push(term);
    else (term.negated ? out.excluded : out.required).push(matchQuery(term as MatchTerm));
  }
  const textQuery = freeTextQuery(text);
  if (textQuery) out.required.push(textQuery);
  return out;
}

/** One match term (tag, user field or stack frame) as a query on one event. */
export function matchQuery(term: MatchTerm): Dsl {
  if (term.field === 'stack.filename' || term.field === 'stack.function') {
    const field = term.field === 'stack.filename' ? 'stack.filename' : 'stack.function';
    return anyOf(term.values.map((p) => valueQuery(field, p)));
  }
  const key = term.field === 'tag' ? (term.tag as string) : term.field;
  return {
    nested: {
      path: 'tags',
      query: { bool: { filter: [{ term: { 'tags.key': key } }, anyOf(term.values.map((p) => valueQuery('tags.value', p)))] } },
    },
  };
}

/** Words (all required), phrases in order, and a trailing `*` as a prefix. Null when there is nothing to search. */
export function freeTextQuery(terms: TextTerm[]): Dsl | null {
  const must: Dsl[] = [];
  for (const t of terms) {
    if (!/[\p{L}\p{N}]/u.test(t.value)) continue;
    if (t.phrase) must.push({ match_phrase: { text: t.value } });
    else if (t.value.endsWith('*')) must.push({ match_phrase_prefix: { text: t.value.slice(0, -1) } });
    else must.push({ match: { text: { query: t.value, operator: 'and' } } });
  }
  if (must.length === 0) return null;
  return must.length === 1 ? must[0] : { bool: { must } };
}

function valueQuery(field: string, p: Pattern): Dsl {
  if (p.pieces.length === 1) return { term: { [field]: p.pieces[0] } };
  // The wildcard query's own `*`, `?` and `\` in a piece are escaped: only the language's stars are wild.
  return { wildcard: { [field]: { value: p.pieces.map((s) => s.replace(/[\\*?]/g, (c) => `\\${c}`)).join('*') } } };
}

function anyOf(queries: Dsl[]): Dsl {
  return queries.length === 1 ? queries[0] : { bool: { should: queries, minimum_should_match: 1 } };
}

/** The query for one project's events matching `query` (and one issue's, with `issueId`). */
export function inProject(projectId: number, query: Dsl | null, issueId?: string): Dsl {
  const filter: Dsl[] = [{ term: { project_id: projectId } }];
  if (issueId !== undefined) filter.push({ term: { issue_id: issueId } });
  if (query) filter.push(query);
  return { bool: { filter } };
}
