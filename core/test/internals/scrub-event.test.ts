import { expect } from 'chai';
import type { CanonicalEvent } from '../../src/event/types.js';
import { filterCardNumbers, filterEmails, filterIpAddresses, luhnValid } from '../../src/scrub/default-rules.js';
import { compileScrubber } from '../../src/scrub/scrub-event.js';
import { DEFAULT_SCRUBBING_RULES } from '../../src/scrub/scrubbing-rules.js';
import { parseScrubbingRules } from '../../src/http/scrubbing-input.js';

const F = '[Filtered]';
const scrub = (event: object, rules = {}) => compileScrubber({ ...DEFAULT_SCRUBBING_RULES, ...rules })(event as CanonicalEvent) as any;

describe('internals: scrubbing rules', () => {
  it('finds card numbers by Luhn, grouped or not, and leaves other long numbers', () => {
    expect(luhnValid('4111111111111111')).to.equal(true);
    expect(luhnValid('4111111111111112')).to.equal(false);
    expect(filterCardNumbers('visa 4111 1111 1111 1111, amex 3782-822463-10005, mc 5500000000000004.')).to.equal(`visa ${F}, amex ${F}, mc ${F}.`);
    expect(filterCardNumbers('order 4111111111111112 at 1700000000000 id 12345678901234567890123')).to.equal('order 4111111111111112 at 1700000000000 id 12345678901234567890123');
  });

  it('finds e-mail addresses and IPv4/IPv6 addresses, and nothing that only looks close', () => {
    expect(filterEmails('from ada@example.com and b.c+d@mail.example.org.')).to.equal(`from ${F} and ${F}.`);
    expect(filterEmails('a @ b, user@localhost, @handle, x@y.z')).to.equal('a @ b, user@localhost, @handle, x@y.z');
    expect(filterEmails(`${'a'.repeat(50_000)}@!`)).to.equal(`${'a'.repeat(50_000)}@!`);
    expect(filterIpAddresses('client 10.0.0.1:8080, v6 2001:db8::1 and ::1; from 192.168.1.20.')).to.equal(`client ${F}:8080, v6 ${F} and ${F}; from ${F}.`);
    expect(filterIpAddresses('version 1.2.3, time 12:30:00, hash deadbeef')).to.equal('version 1.2.3, time 12:30:00, hash deadbeef');
  });

  it('matches key names without case or separators, anywhere in the name, and custom ones the same way', () => {
    const e = scrub(
      { extra: { 'X-API-KEY': 1, dbPassword: 2, SESSION_ID: 3, card_number: 4, cvv: 5, authorization_header: 6, author: 'kept', tenant_name: 7 } },
      { keys: ['Tenant-Name'] },
    );
    expect(e.extra).to.deep.equal({ 'X-API-KEY': F, dbPassword: F, SESSION_ID: F, card_number: F, cvv: F, authorization_header: F, author: 'kept', tenant_name: F });
  });

  it('filters query strings as strings, pairs and objects, JSON bodies sent as text, and form bodies', () => {
    const e = scrub({
      request: {
        url: 'https://x.example/a?b=1&access_token=t&c=2#frag',
        query_string: [['Token', 't'], ['q', 'shoes']],
        data: JSON.stringify({ user: 'u', secret: { nested: 1 } }),
        env: { REMOTE_ADDR: '1.2.3.4' },
      },
      breadcrumbs: [{ data: { to: '/reset?password=p', from: '/home' } }, { message: 'body user=1&passwd=2' }],
      extra: { query: { csrf: 'c', page: 2 }, form: 'a=1&session=s' },
    });
    expect(e.request.url).to.equal(`https://x.example/a?b=1&access_token=${F}&c=2#frag`);
    expect(e.request.query_string).to.deep.equal([['Token', F], ['q', 'shoes']]);
    expect(JSON.parse(e.request.data)).to.deep.equal({ user: 'u', secret: F });
    expect(e.request.env).to.deep.equal({ REMOTE_ADDR: '1.2.3.4' });
    expect(e.breadcrumbs).to.deep.equal([{ data: { to: `/reset?password=${F}`, from: '/home' } }, { message: `body user=1&passwd=${F}` }]);
    expect(e.extra).to.deep.equal({ query: { csrf: F, page: 2 }, form: `a=1&session=${F}` });
  });

  it('leaves the fields that identify the event and code locations alone, and returns the same object when nothing matched', () => {
    const event = {
      event_id: '4111111111111111abcdefabcdefabcd',
      fingerprint: ['token'],
      modules: { 'express-session': '1.18.0', 'csrf-token': '2.0.0' }, // installed packages, not secrets
      exception: { values: [{ type: 'Error', value: 'v', stacktrace: { frames: [{ function: 'password', context_line: 'token=1', pre_context: ['4111111111111111'] }] } }] },
    };
    expect(scrub(event)).to.equal(event);
  });

  it('does not change the event it was given (copy on write)', () => {
    const event = { extra: { password: 'p', other: { token: 't' } }, tags: { a: 'b' } };
    const copy = structuredClone(event);
    const scrubbed = scrub(event);
    expect(event).to.deep.equal(copy);
    expect(scrubbed.tags).to.equal(event.tags); // untouched parts are shared, not copied
  });

  it('applies custom patterns with RE2, and refuses patterns RE2 cannot run in linear time', () => {
    expect(scrub({ message: 'key AKIA1234567890ABCDEF here' }, { patterns: ['AKIA[0-9A-Z]{16}'] }).message).to.equal(`key ${F} here`);
    expect(() => parseScrubbingRules({ patterns: ['(?=x)'] })).to.throw(/patterns\[0\]/);
    expect(parseScrubbingRules({ keys: ['iban'] })).to.deep.equal({ keys: ['iban'], patterns: [], emails: false, ipAddresses: false });
  });
});

describe('internals: scrubbing hostile values', () => {
  it('replaces a secret under a `__proto__` key, and a JSON string nested too deep to write back', () => {
    const event = JSON.parse('{"extra": {"__proto__": {"password": "p"}, "x": 1}}');
    const scrubbed = scrub(event);
    expect(Object.getOwnPropertyDescriptor(scrubbed.extra, '__proto__')?.value).to.deep.equal({ password: F });
    expect(Object.getPrototypeOf(scrubbed.extra)).to.equal(Object.prototype);
    const deep = `{"token": "t", "d": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    expect(() => scrub({ extra: { body: deep } })).to.not.throw();
  });
});
