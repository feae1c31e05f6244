/// <reference types="mocha" />
import { expect } from 'chai';
import type { CanonicalEvent } from '../event/types.js';
import { canonicalPayload } from '../ingest/event-payload.js';
import { hashFingerprint } from '../ingest/fingerprint.js';
import { toGroupedEvent } from '../ingest/group-event.js';
import type { SearchProvider } from '../providers/search.js';
import type { IssueStatus, StorageProvider } from '../providers/storage.js';
import { parseSearchQuery } from '../query/parse-search.js';

/** What a search provider under test comes with: the storage it answers for, holding one empty project. */
export interface SearchConformanceEnv {
  storage: StorageProvider;
  search: SearchProvider;
  projectId: number;
  /** Called once the data set is stored (an index that is fed asynchronously catches up here). */
  seeded?(): Promise<void>;
  close(): Promise<void>;
}

interface SeedIssue {
  events: { hoursAgo: number; event: Partial<CanonicalEvent> }[];
  status?: IssueStatus;
}

const HOUR = 3_600_000;
const frames = (...f: [string, string][]) => ({ frames: f.map(([filename, fn]) => ({ filename, function: fn, in_app: true })) });
const quoted = `it's a "quoted" value; DROP TABLE issues;--`;
const weirdTag = `a'b"c%_\\`;

/** The data set: issues named by their fingerprint, each from the events listed. */
export const SEARCH_SEED: Readonly<Record<string, SeedIssue>> = {
  checkout: {
    events: [240, 24, 1].map((hoursAgo, i) => ({
      hoursAgo,
      event: {
        level: 'error',
        release: 'shop@1.0.0',
        environment: 'production',
        // One of its three events has a coupon: a tag seen on one event of an issue finds the issue.
        tags: { browser: 'Chrome', region: 'eu-west', ...(i === 1 ? { coupon: 'SPRING' } : {}) },
        user: { id: '42', email: 'ann@example.com', username: 'ann', ip_address: '10.0.0.1' },
        exception: {
          values: [
            {
              type: 'TypeError',
              value: `Cannot read properties of undefined (reading '${i === 1 ? 'discount' : 'total'}')`,
              stacktrace: frames(['src/cart.ts', 'loadCart'], ['src/checkout.ts', 'placeOrder']),
            },
          ],
        },
      },
    })),
  },
  payment: {
    events: [
      {
        hoursAgo: 2,
        event: {
          level: 'fatal',
          release: 'shop@1.1.0',
          environment: 'production',
          tags: { browser: 'Firefox', region: 'us-east' },
          user: { email: 'bob@example.org' },
          exception: { values: [{ type: 'PaymentError', value: 'card declined by issuer', stacktrace: frames(['src/payment.ts', 'chargeCard']) }] },
        },
      },
    ],
  },
  unicode: {
    events: [960, 30].map((hoursAgo) => ({
      hoursAgo,
      event: {
        level: 'warning',
        release: 'shop@1.1.0',
        environment: 'staging',
        tags: { browser: 'Safari', locale: 'ru-RU' },
        exception: { values: [{ type: 'Error', value: 'Ошибка: не найдено 支付失败 café' }] },
      },
    })),
  },
  timeout: {
    status: 'resolved',
    events: [{ hoursAgo: 72, event: { level: 'info', environment: 'staging', tags: { region: 'eu-west' }, message: 'upstream timeout after 30s' } }],
  },
  recursion: {
    status: 'ignored',
    events: [9, 8, 7, 6, 5].map((hoursAgo) => ({
      hoursAgo,
      event: {
        level: 'error',
        release: 'shop@2.0.0-beta',
        environment: 'production',
        tags: { browser: 'Chrome Mobile' },
        exception: { values: [{ type: 'RangeError', value: 'Maximum call stack size exceeded' }] },
      },
    })),
  },
  quotes: {
    events: [
      {
        hoursAgo: 10,
        event: {
          level: 'error',
          release: 'shop@1.0.0',
          environment: 'production',
          tags: { weird: weirdTag },
          exception: { values: [{ type: 'Error', value: quoted }] },
        },
      },
    ],
  },
};

const ALL = Object.keys(SEARCH_SEED);

/** (query, the issues it finds): every construct of the language, Unicode, and hostile values. */
export const SEARCH_CASES: readonly [string, string[]][] = [
  ['', ALL],
  ['is:unresolved', ['checkout', 'payment', 'unicode', 'quotes']],
  ['is:resolved', ['timeout']],
  ['is:archived', ['recursion']],
  ['!is:unresolved', ['timeout', 'recursion']],
  ['is:[resolved, ignored]', ['timeout', 'recursion']],
  ['level:fatal', ['payment']],
  ['level:[error, fatal]', ['checkout', 'payment', 'recursion', 'quotes']],
  ['!level:error', ['payment', 'unicode', 'timeout']],
  ['release:shop@1.0.0', ['checkout', 'quotes']],
  ['release:shop@1.*', ['checkout', 'payment', 'unicode', 'quotes']],
  ['!release:shop@1.1.0', ['checkout', 'timeout', 'recursion', 'quotes']],
  ['environment:staging', ['unicode', 'timeout']],
  ['env:production !is:ignored', ['checkout', 'payment', 'quotes']],
  ['browser:Chrome', ['checkout']],
  ['tags[browser]:Chrome*', ['checkout', 'recursion']],
  ['browser:[Firefox, Safari]', ['payment', 'unicode']],
  ['!browser:Chrome', ['payment', 'unicode', 'timeout', 'recursion', 'quotes']],
  ['region:eu-west', ['checkout', 'timeout']],
  ['coupon:SPRING', ['checkout']],
  ['coupon:SPR*', ['checkout']],
  ['!coupon:SPRING', ['payment', 'unicode', 'timeout', 'recursion', 'quotes']],
  ['coupon:SPRING !browser:Chrome', []],
  ['locale:ru-RU region:eu-west', []],
  ['user.email:ann@example.com', ['checkout']],
  ['user.email:*@example.org', ['payment']],
  ['user.id:42', ['checkout']],
  ['!user.id:42', ['payment', 'unicode', 'timeout', 'recursion', 'quotes']],
  ['user.username:ann', ['checkout']],
  ['user.ip_address:10.0.0.1', ['checkout']],
  ['error.type:PaymentError', ['payment']],
  ['error.type:*Error', ['checkout', 'payment', 'unicode', 'recursion', 'quotes']],
  ['error.value:"card declined by issuer"', ['payment']],
  ['message:declined', ['payment']],
  ['title:"CALL STACK"', ['recursion']],
  ['stack.filename:src/payment.ts', ['payment']],
  ['stack.filename:src/*.ts', ['checkout', 'payment']],
  ['stack.function:placeOrder', ['checkout']],
  ['!stack.function:placeOrder', ['payment', 'unicode', 'timeout', 'recursion', 'quotes']],
  ['times_seen:>2', ['checkout', 'recursion']],
  ['times_seen:1', ['payment', 'timeout', 'quotes']],
  ['timesSeen:<=2', ['payment', 'unicode', 'timeout', 'quotes']],
  ['lastSeen:-24h', ['checkout', 'payment', 'recursion', 'quotes']],
  ['lastSeen:+24h', ['unicode', 'timeout']],
  ['age:-7d', ['payment', 'timeout', 'recursion', 'quotes']],
  ['firstSeen:>2000-01-01', ALL],
  ['declined', ['payment']],
  ['DECLINED', ['payment']],
  ['declin*', ['payment']],
  ['"card declined"', ['payment']],
  ['"declined card"', []],
  ['discount', ['checkout']],
  ['undefined total', ['checkout']],
  ['upstream timeout', ['timeout']],
  ['ошибка', ['unicode']],
  ['ОШИБКА', ['unicode']],
  ['café', ['unicode']],
  ['支付失败', ['unicode']],
  ['is:unresolved browser:Chrome level:error undefined', ['checkout']],
  // Hostile values in every value position: found as text, or nothing, never run.
  [`"'; DROP TABLE issues;--"`, ['quotes']],
  [`release:"1' OR '1'='1"`, []],
  [`weird:"a'b\\"c%_\\\\"`, ['quotes']],
  [`weird:"a'b\\"c%*"`, ['quotes']],
  [`tags[x');DROP]:y`, []],
  [`message:"%"`, []],
  [`message:"_"`, []],
  [`user.email:"' OR 1=1 --"`, []],
  [`error.type:"x\\\\"`, []],
  [`error.value:"${quoted.replace(/"/g, '\\"')}"`, ['quotes']],
  [`stack.function:"'; select pg_sleep(1);--"`, []],
  [`environment:[production, "') OR true --"]`, ['checkout', 'payment', 'recursion', 'quotes']],
  [`level:error "\\") OR 1=1 --"`, []],
  ['', ALL],
];

/**
 * The search conformance suite: `searchConformance('postgres', makeEnv)` runs SEARCH_CASES against the
 * provider after storing SEARCH_SEED through its storage. The same cases hold for every provider.
 */
export function searchConformance(label: string, makeEnv: () => Promise<SearchConformanceEnv>): void {
  describe(`search conformance: ${label}`, function () {
    this.timeout(60_000);
    let env: SearchConformanceEnv;
    const now = new Date();
    const names = new Map<string, string>();

    before(async function () {
      env = await makeEnv();
      const fingerprints = new Map(ALL.map((name) => [hashFingerprint([name]), name]));
      const grouped = ALL.flatMap((name) =>
        SEARCH_SEED[name].events.map(({ hoursAgo, event }) => {
          const at = new Date(now.getTime() - hoursAgo * HOUR).toISOString();
          const full: CanonicalEvent = { event_id: randomId(), timestamp: at, level: 'error', platform: 'node', tags: {}, ...event };
          return toGroupedEvent(env.projectId, at, full, [name], canonicalPayload(full));
        }),
      );
      const result = await env.storage.storeBatch(grouped);
      for (const issue of result.created) names.set(issue.id, fingerprints.get(issue.fingerprint) as string);
      for (const issue of result.created) {
        const status = SEARCH_SEED[names.get(issue.id) as string].status;
        if (status) await env.storage.updateIssue(issue.id, { status });
      }
      await env.seeded?.();
    });

    after(async function () {
      await env?.close();
    });

    for (const [query, expected] of SEARCH_CASES) {
      it(`${query === '' ? '(empty query)' : query} finds ${expected.length === 0 ? 'nothing' : expected.join(', ')}`, async function () {
        const page = await env.search.searchIssues(env.projectId, { ast: parseSearchQuery(query, { now }), sort: 'last_seen', limit: 100 });
        expect(page.data.map((i) => names.get(i.id)).sort()).to.deep.equal([...expected].sort());
      });
    }

    it('pages through results in sort order with the cursor', async function () {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await env.search.searchIssues(env.projectId, { ast: parseSearchQuery('', { now }), sort: 'count', limit: 2, cursor });
        seen.push(...page.data.map((i) => names.get(i.id) as string));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).to.have.length(ALL.length);
      expect(seen[0]).to.equal('recursion');
    });

    it('summarizes an issue\'s tags: most frequent values first, user fields and release among them', async function () {
      const checkout = [...names].find(([, n]) => n === 'checkout')?.[0] as string;
      const summary = await env.search.tagSummary(env.projectId, checkout, { valuesPerTag: 5 });
      const byKey = Object.fromEntries(summary.map((t) => [t.key, t.values]));
      expect(byKey.browser).to.deep.equal([{ value: 'Chrome', count: 3 }]);
      expect(byKey['user.email']).to.deep.equal([{ value: 'ann@example.com', count: 3 }]);
      expect(byKey.release).to.deep.equal([{ value: 'shop@1.0.0', count: 3 }]);
      expect(byKey.coupon).to.deep.equal([{ value: 'SPRING', count: 1 }]);
    });
  });
}

function randomId(): string {
  let id = '';
  for (let i = 0; i < 32; i++) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
