/**
 * bench:widgets — the dashboard in headless Chromium against a real Faultline with 50k issues.
 *   npm run bench:widgets -- [--issues 50000] [--events 100000] [--rounds 5] [--baseline path/to/widgets.js]
 * Measures: first rows visible after navigation (cold cache), with where the time goes (the bundle, the
 * first page of issues, the chart's stats); the jump to row 40,000 (from the scroll to those rows drawn
 * with data); and from an ingested event's 202 to its row on the open dashboard. With `--baseline`, first
 * rows are also measured for that bundle (an older build, say), in rounds alternating with this one.
 * Prints one JSON object on stdout.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startPostgresTestServer } from '@faultline/plugin-storage-postgres/testing';
import widgets from '@faultline/widgets';
import { bundleWidgets } from '@faultline/widgets/build';
import { numberOption, stringOption } from '../shared/args.js';
import { progress, summarize } from '../shared/stats.js';
import { seed } from '../query/seed.js';

const issues = numberOption('issues', 'BENCH_ISSUES', 50_000);
const events = numberOption('events', 'BENCH_EVENTS', 100_000);
const rounds = numberOption('rounds', 'BENCH_ROUNDS', 5);
const TARGETS = { firstRowsMs: 500, jumpTo40kMs: 300, liveMs: 1000 };
const JUMP_TO = 40_000; // the row, counted from 1
const baselinePath = stringOption('baseline');

/** Page-side code is written as strings: this package's type check has no DOM types. */
const LIST = "document.querySelector('faultline-dashboard').shadowRoot.querySelector('faultline-issue-list')";

/** Runs in the page before it loads: records when the first issue row is drawn (ms since navigation start). */
const WATCH_FIRST_ROWS = `(() => {
  const check = () => {
    const list = document.querySelector('faultline-dashboard')?.shadowRoot?.querySelector('faultline-issue-list');
    if (list?.shadowRoot?.querySelector('vaadin-grid-cell-content .title')) { window.__firstRows = performance.now(); return; }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`;

/** Where the time before the first rows went, from the page's resource timings (ms since navigation start). */
const FIRST_ROWS_BREAKDOWN = `(() => {
  const entries = performance.getEntriesByType('resource');
  const first = (test) => entries.find((e) => test(e.name));
  const bundle = first((u) => u.includes('widgets.js'));
  const issues = first((u) => u.includes('/issues?'));
  const stats = first((u) => u.includes('/stats?') && !u.includes('issue='));
  const at = (e, key) => (e ? Math.round(e[key]) : null);
  return {
    bundleLoaded: at(bundle, 'responseEnd'),
    domContentLoaded: Math.round(performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd),
    issuesRequested: at(issues, 'startTime'),
    issuesAnswered: at(issues, 'responseEnd'),
    chartStatsRequested: at(stats, 'startTime'),
    firstRows: Math.round(window.__firstRows),
  };
})()`;

/**
 * Jumps the list to row JUMP_TO and resolves with the ms from the scroll to the rows there drawn with
 * data: each drawn row near the target done loading (vaadin-grid keeps a row's old cells until its item
 * arrives), and the target row showing the issue the API has at that offset.
 */
const jumpScript = (expectedTitle: string) => `new Promise((resolve, reject) => {
  const list = ${LIST};
  const grid = list.shadowRoot.querySelector('vaadin-grid');
  const target = ${JUMP_TO - 1};
  setTimeout(() => reject(new Error('the rows near row ${JUMP_TO} never showed data')), 20000);
  const start = performance.now();
  grid.scrollToIndex(target);
  const check = () => {
    const near = new Map(); // row index -> whether it is drawn with its issue
    let targetTitle = null;
    for (const cell of grid.querySelectorAll('vaadin-grid-cell-content')) {
      const row = cell.assignedSlot?.parentElement?.parentElement;
      if (typeof row?.index !== 'number' || row.index < target - 5 || row.index > target) continue;
      const title = cell.querySelector('.title')?.textContent;
      if (row.index === target && title) targetTitle = title;
      near.set(row.index, near.get(row.index) || (Boolean(title) && !row.hasAttribute('loading')));
    }
    const done = near.size > 0 && [...near.values()].every(Boolean) && targetTitle === ${JSON.stringify(expectedTitle)};
    if (done) return resolve(performance.now() - start);
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

const dir = await mkdtemp(path.join(tmpdir(), 'faultline-bench-widgets-'));
const bundlePath = path.join(dir, 'widgets.js');
await bundleWidgets({ outfile: bundlePath });
progress('starting Faultline');
const server = await startPostgresTestServer({ plugins: [widgets({ bundlePath })] });
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  progress(`seeding ${issues} issues, ${events} events`);
  await seed(server.database.url, server.project.id, issues, events);
  const page = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><script src="${script}"></script></head>
<body><faultline-dashboard base-url="/faultline" project="${server.project.id}" token="${server.project.secretToken}"></faultline-dashboard></body></html>`;
  server.app.get('/bench', (_req, res) => res.type('html').send(page('/faultline/widgets.js')));
  if (baselinePath) {
    const baseline = await readFile(baselinePath);
    const gzipped = gzipSync(baseline, { level: 9 });
    const etag = `"${createHash('sha256').update(baseline).digest('base64url').slice(0, 27)}"`;
    server.app.get('/baseline/widgets.js', (_req, res) => {
      res.set({ 'content-type': 'text/javascript; charset=utf-8', 'content-encoding': 'gzip', etag, 'cache-control': 'public, max-age=300, must-revalidate' });
      res.send(gzipped);
    });
    server.app.get('/bench-baseline', (_req, res) => res.type('html').send(page('/baseline/widgets.js')));
  }

  type Breakdown = Record<string, number | null>;
  const firstRows = { current: [] as number[], baseline: [] as number[] };
  const breakdowns = { current: [] as Breakdown[], baseline: [] as Breakdown[] };
  const runs = (baselinePath ? ['baseline', 'current'] : ['current']) as Array<'current' | 'baseline'>;
  for (let i = 0; i < rounds; i++) {
    for (const which of i % 2 === 0 ? runs : [...runs].reverse()) {
      const context = await browser.newContext(); // a cold cache each round, as a first visit
      const tab = await context.newPage();
      await tab.addInitScript(WATCH_FIRST_ROWS);
      await tab.goto(`${server.origin}/${which === 'current' ? 'bench' : 'bench-baseline'}`);
      await tab.waitForFunction('window.__firstRows !== undefined', undefined, { timeout: 30_000 });
      firstRows[which].push((await tab.evaluate('window.__firstRows')) as number);
      breakdowns[which].push((await tab.evaluate(FIRST_ROWS_BREAKDOWN)) as Breakdown);
      await context.close();
      progress(`first rows (${which}): ${firstRows[which].at(-1)!.toFixed(0)} ms ${JSON.stringify(breakdowns[which].at(-1))}`);
    }
  }

  const jumps: number[] = [];
  let gridSize = 0;
  const atTarget = await fetch(`${server.url}/api/v1/projects/${server.project.id}/issues?offset=${JUMP_TO - 1}&limit=1`, {
    headers: { authorization: `Bearer ${server.project.secretToken}` },
  });
  const expected = ((await atTarget.json()) as { data: { title: string }[] }).data[0].title;
  for (let i = 0; i < rounds; i++) {
    const tab = await browser.newPage(); // the bundle cached, the list's pages not
    await tab.goto(`${server.origin}/bench`);
    await tab.locator('vaadin-grid-cell-content .title').first().waitFor();
    // The count comes after the first rows; the grid can jump once it has the list's length.
    await tab.waitForFunction(`${LIST}.shadowRoot.querySelector('vaadin-grid')._flatSize >= ${JUMP_TO}`, undefined, { timeout: 10_000 }).catch(() => undefined);
    gridSize = (await tab.evaluate(`${LIST}.shadowRoot.querySelector('vaadin-grid')._flatSize`)) as number;
    if (gridSize < JUMP_TO) throw new Error(`the grid has ${gridSize} rows, fewer than ${JUMP_TO}`);
    jumps.push((await tab.evaluate(jumpScript(expected))) as number);
    await tab.close();
    progress(`jump to row ${JUMP_TO}: ${jumps.at(-1)!.toFixed(0)} ms`);
  }

  const tab = await browser.newPage();
  await tab.goto(`${server.origin}/bench`);
  await tab.locator('faultline-live-status[state=live]').waitFor();
  await tab.locator('vaadin-grid-cell-content .title').first().waitFor();

  const live: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const title = `BenchLive${i}`;
    const waiting = tab.waitForFunction(
      `[...${LIST}.shadowRoot.querySelectorAll('vaadin-grid-cell-content .title')].some((c) => c.textContent.startsWith(${JSON.stringify(title)}))
        && performance.timeOrigin + performance.now()`,
      undefined,
      { polling: 'raf', timeout: 10_000 },
    );
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.project.publicKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ exception: { values: [{ type: title, value: 'ingested while the dashboard is open' }] } }),
    });
    const accepted = performance.timeOrigin + performance.now();
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
    const shown = (await (await waiting).jsonValue()) as number;
    live.push(shown - accepted);
    progress(`live: ${live.at(-1)!.toFixed(0)} ms after the 202`);
  }

  const first = summarize(firstRows.current);
  const liveStats = summarize(live);
  const jump = summarize(jumps);
  const medians = (list: Breakdown[]) =>
    Object.fromEntries(Object.keys(list[0] ?? {}).map((k) => [k, summarize(list.map((b) => b[k]).filter((v): v is number => v !== null)).p50]));
  process.stdout.write(
    `${JSON.stringify(
      {
        issues,
        events,
        rounds,
        firstRowsMs: first,
        firstRowsBreakdownP50Ms: medians(breakdowns.current),
        ...(baselinePath
          ? { baseline: { bundle: baselinePath, firstRowsMs: summarize(firstRows.baseline), firstRowsBreakdownP50Ms: medians(breakdowns.baseline) } }
          : {}),
        jumpTo40kMs: jump,
        gridRows: gridSize,
        liveAfter202Ms: liveStats,
        targets: TARGETS,
        met: { firstRows: first.p95 <= TARGETS.firstRowsMs, live: liveStats.p95 <= TARGETS.liveMs, jumpTo40k: jump.p95 <= TARGETS.jumpTo40kMs },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await browser.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
