import { expect } from 'chai';
import { FaultlineError } from '../src/errors.js';
import { parseSearchQuery } from '../src/query/parse-search.js';
import type { SearchTerm } from '../src/providers/search-ast.js';

const now = new Date('2026-03-01T12:00:00Z');
const parse = (q: string) => parseSearchQuery(q, { now }).terms;
const one = (q: string): SearchTerm => {
  const terms = parse(q);
  expect(terms).to.have.length(1);
  return terms[0];
};
function failure(q: string): { path: string; message: string } {
  try {
    parseSearchQuery(q, { now });
  } catch (err) {
    expect(err).to.be.instanceOf(FaultlineError);
    const e = err as FaultlineError;
    expect(e.code).to.equal('FAULTLINE_ERR_QUERY_INVALID');
    return { path: String(e.path), message: e.message };
  }
  throw new Error(`"${q}" parsed`);
}

describe('parseSearchQuery', () => {
  it('reads key:value, quoted values with escapes, negation and lists', () => {
    expect(one('release:shop@1.2.0')).to.deep.equal({ type: 'match', field: 'release', values: [{ pieces: ['shop@1.2.0'] }], negated: false, position: 0 });
    expect(one('environment:"staging eu"')).to.include({ field: 'environment' }).and.to.have.deep.property('values', [{ pieces: ['staging eu'] }]);
    expect(one('message:"say \\"hi\\" \\\\ now"')).to.have.deep.property('values', [{ pieces: ['say "hi" \\ now'] }]);
    expect(one('!level:error')).to.include({ negated: true, field: 'level' });
    expect(one('release:[1.0, "2.0 beta", 3.*]')).to.have.deep.property('values', [{ pieces: ['1.0'] }, { pieces: ['2.0 beta'] }, { pieces: ['3.', ''] }]);
    expect(one('level:[ error ,fatal ]')).to.have.deep.property('values', [{ pieces: ['error'] }, { pieces: ['fatal'] }]);
  });

  it('splits values at wildcards; an escaped star is literal', () => {
    expect(one('error.type:*Error')).to.have.deep.property('values', [{ pieces: ['', 'Error'] }]);
    expect(one('user.email:*@example.com')).to.have.deep.property('values', [{ pieces: ['', '@example.com'] }]);
    expect(one('message:"a*b*"')).to.have.deep.property('values', [{ pieces: ['a', 'b', ''] }]);
    expect(one('message:"5 \\* 3"')).to.have.deep.property('values', [{ pieces: ['5 * 3'] }]);
  });

  it('knows every field, with Sentry spellings as aliases, and takes any other key as a tag', () => {
    const fields: Record<string, string> = {
      'is:resolved': 'status', 'status:ignored': 'status', 'level:warning': 'level', 'release:1': 'release',
      'environment:prod': 'environment', 'env:prod': 'environment', 'user.id:42': 'user.id', 'user.email:a@b.c': 'user.email',
      'user.username:ann': 'user.username', 'user.ip:10.0.0.1': 'user.ip', 'user.ip_address:10.0.0.1': 'user.ip',
      'message:boom': 'message', 'title:boom': 'message', 'error.type:TypeError': 'error.type', 'error.value:x': 'error.value',
      'stack.filename:app.js': 'stack.filename', 'stack.abs_path:app.js': 'stack.filename', 'stack.function:main': 'stack.function',
    };
    for (const [q, field] of Object.entries(fields)) expect(one(q), q).to.include({ type: 'match', field });
    expect(one('is:archived')).to.have.deep.property('values', [{ pieces: ['ignored'] }]);
    expect(one('tags[browser.name]:Chrome')).to.include({ field: 'tag', tag: 'browser.name' });
    expect(one('browser:Chrome')).to.include({ field: 'tag', tag: 'browser' });
    expect(one('server_name:web-1')).to.include({ field: 'tag', tag: 'server_name' });
  });

  it('compares numbers', () => {
    expect(one('times_seen:>100')).to.deep.equal({ type: 'number', field: 'times_seen', op: 'gt', value: 100, negated: false, position: 0 });
    expect(one('timesSeen:<=5')).to.include({ field: 'times_seen', op: 'lte', value: 5 });
    expect(one('count:7')).to.include({ field: 'times_seen', op: 'eq', value: 7 });
    expect(one('users:>=3')).to.include({ field: 'user_count', op: 'gte', value: 3 });
  });

  it('compares times, absolute and relative to now', () => {
    expect(one('lastSeen:-24h')).to.deep.include({ type: 'time', field: 'last_seen', op: 'gte', value: new Date('2026-02-28T12:00:00Z') });
    expect(one('age:+7d')).to.deep.include({ field: 'first_seen', op: 'lt', value: new Date('2026-02-22T12:00:00Z') });
    expect(one('firstSeen:>2026-01-01')).to.deep.include({ field: 'first_seen', op: 'gt', value: new Date('2026-01-01T00:00:00Z') });
    expect(one('last_seen:<=2026-01-02T03:04:05Z')).to.deep.include({ op: 'lte', value: new Date('2026-01-02T03:04:05Z') });
    expect(parse('firstSeen:2026-01-01')).to.deep.equal([
      { type: 'time', field: 'first_seen', op: 'gte', value: new Date('2026-01-01T00:00:00Z'), negated: false, position: 0 },
      { type: 'time', field: 'first_seen', op: 'lt', value: new Date('2026-01-02T00:00:00Z'), negated: false, position: 0 },
    ]);
  });

  it('reads free text words and quoted phrases between filters, with positions', () => {
    expect(parse('checkout  "card declined" is:unresolved timeout')).to.deep.equal([
      { type: 'text', value: 'checkout', phrase: false, negated: false, position: 0 },
      { type: 'text', value: 'card declined', phrase: true, negated: false, position: 10 },
      { type: 'match', field: 'status', values: [{ pieces: ['unresolved'] }], negated: false, position: 26 },
      { type: 'text', value: 'timeout', phrase: false, negated: false, position: 40 },
    ]);
    expect(parse('http://example.com/x')).to.have.length(1);
    expect(parse('   ')).to.deep.equal([]);
  });

  it('counts positions in characters, whatever the script, and keeps Unicode text', () => {
    expect(parse('ошибка "支付 失败" 🔥:x release:版本1')).to.deep.equal([
      { type: 'text', value: 'ошибка', phrase: false, negated: false, position: 0 },
      { type: 'text', value: '支付 失败', phrase: true, negated: false, position: 7 },
      { type: 'text', value: '🔥:x', phrase: false, negated: false, position: 15 },
      { type: 'match', field: 'release', values: [{ pieces: ['版本1'] }], negated: false, position: 19 },
    ]);
    expect(failure('🔥🔥 level:')).to.deep.include({ path: 'query[9]' });
  });

  it('points at where a malformed query goes wrong and says what was expected', () => {
    const cases: [string, string, RegExp][] = [
      ['level:error release:', 'query[20]', /value after "release:"/],
      ['release: 1.0', 'query[8]', /value after "release:"/],
      ['level:critical', 'query[6]', /one of fatal, error, warning, info, debug after level:/],
      ['is:open', 'query[3]', /one of unresolved, resolved, ignored, archived after is:/],
      ['message:"unclosed', 'query[17]', /closing quote/],
      ['"unclosed phrase', 'query[16]', /closing quote/],
      ['release:[1.0, 2.0', 'query[17]', /"]" closing the list/],
      ['release:[1.0 2.0]', 'query[13]', /"," or "]"/],
      ['release:[1.0,]', 'query[13]', /a value/],
      ['times_seen:>abc', 'query[12]', /whole number/],
      ['times_seen:', 'query[11]', /value after/],
      ['lastSeen:-24x', 'query[10]', /duration/],
      ['firstSeen:>yesterday', 'query[11]', /date/],
      ['firstSeen:2026-13-45', 'query[10]', /date/],
      ['!oops', 'query[1]', /key after "!"/],
      ['tags[]:x', 'query[5]', /tag name/],
      ['tags[a b]:x', 'query[6]', /"]" closing the tag name/],
      ['release:"1.0"x', 'query[13]', /space between terms/],
    ];
    for (const [q, path, message] of cases) {
      const f = failure(q);
      expect(f.path, q).to.equal(path);
      expect(f.message, q).to.match(message);
    }
  });

  it('bounds the number of terms and the length of a value', () => {
    expect(failure(Array.from({ length: 51 }, (_, i) => `w${i}`).join(' ')).message).to.match(/at most 50 terms/);
    expect(failure(`message:${'x'.repeat(501)}`).path).to.equal('query[508]');
  });
});
