import { expect } from 'chai';
import { parseSearchQuery } from '@faultline/core';
import { eventQueries } from '../src/index.js';

const split = (q: string) => eventQueries(parseSearchQuery(q, { now: new Date('2026-03-01T00:00:00Z') }));
const tag = (key: string, value: object) => ({
  nested: { path: 'tags', query: { bool: { filter: [{ term: { 'tags.key': key } }, value] } } },
});

describe('the search language as OpenSearch query DSL', () => {
  it('leaves issue fields to the storage and turns event fields into queries', () => {
    const q = split('is:unresolved level:error release:1.0 times_seen:>3 lastSeen:-24h message:boom error.type:TypeError browser:Chrome');
    expect(q.rest.map((t) => (t.type === 'match' || t.type === 'number' || t.type === 'time' ? t.field : t.type))).to.deep.equal([
      'status', 'level', 'release', 'times_seen', 'last_seen', 'message', 'error.type',
    ]);
    expect(q.required).to.deep.equal([tag('browser', { term: { 'tags.value': 'Chrome' } })]);
    expect(q.excluded).to.deep.equal([]);
  });

  it('tags, user fields and lists; negation excludes', () => {
    expect(split('tags[os.name]:[Linux, "Mac OS"]').required).to.deep.equal([
      tag('os.name', { bool: { should: [{ term: { 'tags.value': 'Linux' } }, { term: { 'tags.value': 'Mac OS' } }], minimum_should_match: 1 } }),
    ]);
    expect(split('user.email:ann@example.com').required).to.deep.equal([tag('user.email', { term: { 'tags.value': 'ann@example.com' } })]);
    expect(split('user.ip_address:10.0.0.1').required).to.deep.equal([tag('user.ip', { term: { 'tags.value': '10.0.0.1' } })]);
    const negated = split('!browser:Chrome');
    expect(negated.required).to.deep.equal([]);
    expect(negated.excluded).to.deep.equal([tag('browser', { term: { 'tags.value': 'Chrome' } })]);
  });

  it('wildcards: only the language\'s stars are wild; the query\'s own special characters are escaped', () => {
    expect(split('user.email:*@example.com').required).to.deep.equal([tag('user.email', { wildcard: { 'tags.value': { value: '*@example.com' } } })]);
    expect(split('weird:"a?b\\\\c*"').required).to.deep.equal([tag('weird', { wildcard: { 'tags.value': { value: 'a\\?b\\\\c*' } } })]);
    expect(split('stack.filename:src/*.ts').required).to.deep.equal([{ wildcard: { 'stack.filename': { value: 'src/*.ts' } } }]);
    expect(split('stack.function:main').required).to.deep.equal([{ term: { 'stack.function': 'main' } }]);
  });

  it('free text: all words, phrases in order, a trailing star as a prefix, in one query', () => {
    expect(split('card "was declined" declin*').required).to.deep.equal([
      {
        bool: {
          must: [
            { match: { text: { query: 'card', operator: 'and' } } },
            { match_phrase: { text: 'was declined' } },
            { match_phrase_prefix: { text: 'declin' } },
          ],
        },
      },
    ]);
    expect(split('ошибка').required).to.deep.equal([{ match: { text: { query: 'ошибка', operator: 'and' } } }]);
    expect(split('--- ... "?!"').required).to.deep.equal([]);
  });

  it('keeps hostile values as plain JSON strings', () => {
    const hostile = `x"}},{"match_all":{}}`;
    const q = split(`browser:"${hostile.replace(/"/g, '\\"')}"`);
    expect(q.required).to.deep.equal([tag('browser', { term: { 'tags.value': hostile } })]);
  });
});
