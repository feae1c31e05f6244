/**
 * bench:query — issue list, issue events and stats latency over HTTP on 1M events in 50k issues.
 *   npm run bench:query -- [--events 1000000] [--issues 50000] [--requests 300]
 *   [--explain]  adds EXPLAIN ANALYZE of the slow kinds' SQL (copies of the storage plugin's) to the result
 * Prints one JSON object on stdout; progress goes to stderr.
 */
import { flag, numberOption } from '../shared/args.js';
import { startServerProcess } from '../shared/server-process.js';
import { progress } from '../shared/stats.js';
import { createTimer, timeSql, type Timing } from './measure.js';
import { explainSlowQueries } from './explain.js';
import { seed } from './seed.js';

const events = numberOption('events', 'BENCH_EVENTS', 1_000_000);
const issues = numberOption('issues', 'BENCH_ISSUES', 50_000);
const requests = numberOption('requests', 'BENCH_REQUESTS', 300);
const TARGET_P95_MS = 20;
/** Free-text kinds (`text_` in their name) reach into events' text: their target is 100 ms. */
const TEXT_TARGET_P95_MS = 100;
const targetOf = (name: string) => (name.includes('text_') ? TEXT_TARGET_P95_MS : TARGET_P95_MS);

progress('starting the server process');
const server = await startServerProcess();
try {
  progress(`seeding ${events} events in ${issues} issues`);
  const seeded = await seed(server.databaseUrl, server.projectId, issues, events);
  progress(`seeded in ${seeded.seconds.toFixed(1)} s; timing`);

  const t = createTimer(server.url, server.secretToken);
  const list = `/api/v1/projects/${server.projectId}/issues`;
  const nonEmpty = (body: { data: unknown[] }) => {
    if (body.data.length === 0) throw new Error('empty issue page');
  };
  const results: Record<string, Timing> = {};
  const timed = async (name: string, pathOf: (i: number) => string, check?: (body: any) => void) => {
    results[name] = await t.time(pathOf, requests, check);
    progress(`${name}: p50 ${results[name].p50} ms, p95 ${results[name].p95} ms`);
  };

  // The same run's floor: an HTTP round trip through the same Express app that touches no database.
  await timed('baseline_healthz', () => '/healthz');
  await timed('issues_default_last_seen', () => list, nonEmpty);
  await timed('issues_sort_first_seen', () => `${list}?sort=first_seen`, nonEmpty);
  await timed('issues_sort_count', () => `${list}?sort=count`, nonEmpty);
  await timed('issues_is_resolved', () => `${list}?query=${encodeURIComponent('is:resolved')}`, nonEmpty);
  await timed('issues_is_ignored_sort_count', () => `${list}?query=${encodeURIComponent('is:ignored')}&sort=count`, nonEmpty);
  await timed('issues_level_env_filter', () => `${list}?query=${encodeURIComponent('is:unresolved level:fatal environment:staging')}`);
  await timed('issues_filter_matching_nothing', () => `${list}?query=${encodeURIComponent('release:app@9.9.9')}`);
  await timed('issues_text_common', () => `${list}?query=${encodeURIComponent('checkout')}`, nonEmpty);
  await timed('issues_text_common_sort_count', () => `${list}?query=${encodeURIComponent('checkout')}&sort=count`, nonEmpty);
  await timed('issues_text_rare', (i) => `${list}?query=${encodeURIComponent(`"step ${1 + ((i * 7919) % issues)}"`)}`);
  await timed('issues_limit_100', () => `${list}?limit=100`, nonEmpty);
  // The search language (issue 15): event text, tags and user fields reach into events.
  await timed('search_text_event_rare', (i) => `${list}?query=${encodeURIComponent(`shard${(i * 7919) % 5000}`)}`, nonEmpty);
  await timed('search_text_event_common', () => `${list}?query=${encodeURIComponent('upstream timeout')}`, nonEmpty);
  await timed('search_text_event_and_filter', () => `${list}?query=${encodeURIComponent('is:unresolved level:fatal timeout')}`);
  await timed('search_tag_common', () => `${list}?query=${encodeURIComponent('browser:Firefox')}`, nonEmpty);
  await timed('search_tag_and_issue_filter', () => `${list}?query=${encodeURIComponent('is:unresolved environment:staging region:eu-west')}`, nonEmpty);
  await timed('search_user_id', (i) => `${list}?query=${encodeURIComponent(`user.id:${(i * 7919) % 20000}`)}`, nonEmpty);
  await timed('search_issue_fields', () => `${list}?query=${encodeURIComponent('level:error release:app@1.1.0 times_seen:>5')}`);
  await timed('search_negated_tag', () => `${list}?query=${encodeURIComponent('!browser:Chrome')}`, nonEmpty);
  // Few issues lack both: the walk ends without a page, and the hashed set answers (the slow case).
  await timed('search_negated_tag_few_matches', () => `${list}?query=${encodeURIComponent('!region:[eu-west, us-east]')}`);

  const pages = Math.max(40, Math.min(400, Math.ceil(requests)));
  const deepFrom = Math.floor(pages / 2);
  const walks: Record<string, unknown> = {};
  for (const [name, path] of [
    ['last_seen', list],
    ['count', `${list}?sort=count`],
    ['first_seen_resolved', `${list}?sort=first_seen&query=is:resolved`],
  ] as const) {
    const w = await t.walk(path, pages, deepFrom);
    results[`cursor_${name}_all_pages`] = w.all;
    results[`cursor_${name}_deep_pages`] = w.deep;
    walks[name] = { pages: w.all.n, deepFromPage: deepFrom, issuesSeen: w.issuesSeen };
    progress(`cursor ${name}: ${w.all.n} pages, deep p95 ${w.deep.p95} ms`);
  }

  const hot = seeded.hotIssueId;
  const cold = seeded.coldIssueId;
  await timed('issue_events_hot', () => `/api/v1/issues/${hot}/events`, nonEmpty);
  await timed('issue_events_cold', () => `/api/v1/issues/${cold}/events`, nonEmpty);
  const second = await t.get(`/api/v1/issues/${hot}/events`);
  await timed('issue_events_hot_page2', () => `/api/v1/issues/${hot}/events?cursor=${encodeURIComponent(second.body.nextCursor)}`, nonEmpty);
  await timed('issue_events_various', (i) => `/api/v1/issues/${seeded.firstIssueId + ((i * 7919) % issues)}/events`, nonEmpty);
  await timed('stats_24h_hourly', () => `/api/v1/projects/${server.projectId}/stats`);
  await timed('stats_30d_daily', () => `/api/v1/projects/${server.projectId}/stats?interval=day`);
  await timed('stats_7d_hourly', () => `/api/v1/projects/${server.projectId}/stats?since=${new Date(Date.now() - 7 * 86400_000).toISOString()}`);
  await timed('tag_summary_hot', () => `/api/v1/issues/${hot}/tags`, (body) => {
    if (body.data.length === 0) throw new Error('empty tag summary');
  });
  await timed('tag_summary_various', (i) => `/api/v1/issues/${seeded.firstIssueId + ((i * 7919) % issues)}/tags`);
  await timed('stats_issue_7d_hourly', () => `/api/v1/projects/${server.projectId}/stats?issue=${hot}&since=${new Date(Date.now() - 7 * 86400_000).toISOString()}`);
  t.close();
  // The floor of a negated tag few issues lack: the fastest SQL found by hand for its first page, straight
  // on the database: a (parallel) hash anti join of the project's issues and the tag's rows, the top 26
  // of what is left, then those rows. No index finds the issues a tag is missing from: every way reads
  // them all. PostgreSQL's own plan for it probes every issue, several times slower: hence the setting.
  progress('timing the few-matches floor');
  const fewMatchesFloor = await timeSql(
    server.databaseUrl,
    `SELECT * FROM issues WHERE id = ANY (ARRAY(
       SELECT id FROM issues i WHERE project_id = $1
          AND NOT EXISTS (SELECT 1 FROM issue_tags t WHERE t.project_id = $1 AND t.issue_id = i.id AND t.key = 'region' AND t.value = ANY ($2::text[]))
        ORDER BY last_seen DESC, id DESC LIMIT 26))
      ORDER BY last_seen DESC, id DESC`,
    [server.projectId, ['eu-west', 'us-east']],
    Math.min(requests, 50),
    ['SET enable_nestloop = off'],
  );

  const floor = results.baseline_healthz.p50;
  const queries = Object.fromEntries(
    Object.entries(results).map(([name, r]) => [name, { p50: r.p50, p95: r.p95, p99: r.p99, max: r.max, n: r.n, p50VsHealthz: Math.round((r.p50 / floor) * 10) / 10 }]),
  );
  const measured = Object.entries(results).filter(([name]) => name !== 'baseline_healthz');
  const over = measured.filter(([name, r]) => r.p95 > targetOf(name)).map(([name, r]) => ({ name, p95: r.p95, target: targetOf(name) }));
  const plans = flag('explain', 'BENCH_EXPLAIN') ? await explainSlowQueries(server.databaseUrl, server.projectId) : null;
  const final = await server.stop();
  const result = {
    bench: 'query',
    data: { events: seeded.events, issues: seeded.issues, seedSeconds: Math.round(seeded.seconds * 10) / 10, hotIssueId: hot, coldIssueId: cold, allVisible: seeded.allVisible },
    requestsPerKind: requests,
    queries,
    cursorWalks: walks,
    worstP95Ms: Math.max(...measured.map(([, r]) => r.p95)),
    floors: {
      search_negated_tag_few_matches: {
        sqlP50: fewMatchesFloor.p50,
        sqlP95: fewMatchesFloor.p95,
        p95VsFloor: Math.round((results.search_negated_tag_few_matches.p95 / fewMatchesFloor.p95) * 100) / 100,
      },
    },
    targets: { p95Ms: TARGET_P95_MS, textP95Ms: TEXT_TARGET_P95_MS, met: over.length === 0, over },
    serverRssMaxMB: server.maxRssMB(),
    serverRssPeakMB: final.peakRssMB,
    ...(plans ? { plans } : {}),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (err) {
  await server.stop().catch(() => undefined);
  throw err;
}
