import { FaultlineError } from '../errors.js';
import { LEVELS, type Level } from '../event/types.js';
import type { IssueSearchFilters } from '../providers/search.js';
import { ISSUE_STATUSES, type IssueStatus } from '../providers/storage.js';

const TOKEN = /(\w+):("([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g;

/**
 * The issue search language: `is:resolved level:error release:"1.2.0" environment:prod free text`.
 * Free text matches title, value and culprit.
 */
export function parseIssueSearch(query: string): IssueSearchFilters {
  const filters: IssueSearchFilters = {};
  const words: string[] = [];
  for (const m of query.matchAll(TOKEN)) {
    const [, key, , quoted, bare, quotedText, word] = m;
    if (key === undefined) {
      words.push(quotedText ?? word);
      continue;
    }
    const value = quoted ?? bare;
    switch (key) {
      case 'is':
        if (!(ISSUE_STATUSES as readonly string[]).includes(value)) throw invalid(`is: takes ${ISSUE_STATUSES.join(', ')}`);
        filters.status = value as IssueStatus;
        break;
      case 'level':
        if (!(LEVELS as readonly string[]).includes(value)) throw invalid(`level: takes ${LEVELS.join(', ')}`);
        filters.level = value as Level;
        break;
      case 'release':
        filters.release = value;
        break;
      case 'environment':
      case 'env':
        filters.environment = value;
        break;
      default:
        throw invalid(`Unknown search key "${key}:" (known: is, level, release, environment)`);
    }
  }
  const text = words.join(' ').trim();
  if (text) filters.text = text.slice(0, 200);
  return filters;
}

function invalid(message: string): FaultlineError {
  return new FaultlineError('FAULTLINE_ERR_QUERY_INVALID', message, { path: 'query' });
}
