import pg from 'pg';
import { createEventGenerator } from '../shared/events.js';
import { progress } from '../shared/stats.js';

export interface SeedResult {
  issues: number;
  /** Per table, the share of its pages the seed's VACUUM marked all-visible (index-only scans skip the heap there). */
  allVisible: Record<string, number>;
  events: number;
  seconds: number;
  /** Issue ids: the hottest (most events) and a cold one, for the events endpoint. */
  hotIssueId: string;
  coldIssueId: string;
  /** Seeded issue ids run from here, contiguous. */
  firstIssueId: number;
}

const CHUNK = 100_000;
/** Issues last: the seed's final write is to them, and any transaction open beside it has ended by then. */
const SEEDED_TABLES = ['events', 'event_ids', 'issue_stats_hourly', 'project_stats_hourly', 'issue_tags', 'issue_users', 'issues'];

/**
 * Fills the storage plugin's tables straight with SQL (generate_series): `issues` issues, then `events`
 * events spread over the last 7 days (every issue gets one, the rest skewed towards low ordinals), then
 * event_ids, the hourly rollups (issue and project) and each issue's count/first/last seen from the events, then VACUUM ANALYZE.
 * Payloads are one real generated event with its id swapped in. The search columns (migration 0007) get
 * a message naming one of 5,000 shards (a tenth add "upstream timeout") and one of 500 file names; the
 * issue tags (migration 0009) count each event's browser (5 values) and region (4), and its user is one
 * of 20,000 (migration 0010).
 */
export async function seed(databaseUrl: string, projectId: number, issues: number, events: number): Promise<SeedResult> {
  const start = performance.now();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SET synchronous_commit = off');
    // The seed's own VACUUMs stand for autovacuum, which would otherwise run beside them at random (an
    // ANALYZE holds a snapshot, and VACUUM leaves the rows written since then not visible to all).
    const { rows: heaps } = await client.query<{ name: string }>(
      `SELECT oid::regclass::text AS name FROM pg_class WHERE relname = ANY ($1) AND relkind = 'r'
       UNION ALL SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'events'::regclass`,
      [SEEDED_TABLES],
    );
    for (const { name } of heaps) await client.query(`ALTER TABLE ${name} SET (autovacuum_enabled = off)`);
    const template = createEventGenerator({ issues: 1, seed: 7 })();
    template.event_id = '__EVENT_ID__';
    await client.query(
      `INSERT INTO issues (project_id, fingerprint, grouping_version, title, culprit, type, value, level, platform,
                           release, environment, first_seen, last_seen, status)
       SELECT $1, md5(i::text), 'faultline:1',
              t.type || ': ' || t.value, t.culprit, t.type, t.value,
              (ARRAY['error','error','error','warning','fatal'])[1 + i % 5], 'node',
              'app@1.' || (i % 4) || '.0', CASE WHEN i % 3 = 0 THEN 'staging' ELSE 'production' END,
              now(), now(),
              CASE WHEN i % 20 < 16 THEN 'unresolved' WHEN i % 20 < 19 THEN 'resolved' ELSE 'ignored' END
         FROM generate_series(1, $2::int) AS i,
         LATERAL (SELECT (ARRAY['TypeError','RangeError','ReferenceError','Error','ValidationError'])[1 + i % 5] AS type,
                         format('Cannot read properties of undefined (reading ''%s'') in step %s',
                                (ARRAY['user','cart','checkout','invoice','session','profile','order','payment','search','report',
                                       'config','token','widget','upload','export','billing','inventory','shipment','coupon','account'])[1 + (i / 7) % 20], i) AS value,
                         format('%sHandler.run (src/routes/%s.ts)',
                                (ARRAY['user','cart','checkout','invoice','session','profile','order'])[1 + i % 7], i % 500) AS culprit) AS t
        ORDER BY i`,
      [projectId, issues],
    );
    const { rows: idRows } = await client.query<{ min: string; n: string }>(
      'SELECT min(id) AS min, max(id) - min(id) + 1 AS n FROM issues WHERE project_id = $1',
      [projectId],
    );
    const base = Number(idRows[0].min);
    if (Number(idRows[0].n) !== issues) throw new Error('seeded issue ids are not contiguous');
    progress(`seeded ${issues} issues`);

    // Each event's number, id, issue and time, kept so that its tags can be counted per issue after.
    await client.query(
      `CREATE TEMP TABLE seed_events AS
       SELECT g, md5('event' || g) AS id,
              $1::bigint + CASE WHEN g <= $2::int THEN g - 1 ELSE floor($2::int * random() ^ 2)::bigint END AS issue_id,
              now() - random() * interval '7 days' AS t
         FROM generate_series(1, $3::int) AS g`,
      [base, issues, events],
    );
    for (let from = 1; from <= events; from += CHUNK) {
      const to = Math.min(events, from + CHUNK - 1);
      await client.query(
        `INSERT INTO events (project_id, event_id, issue_id, received_at, "timestamp", level, release, environment, payload,
                             search_text, fields)
         SELECT $1, e.id::uuid, e.issue_id, e.t, e.t, 'error', 'app@1.0.0', 'production',
                replace($4::text, '__EVENT_ID__', e.id),
                format('Request failed on shard%s%s', e.g % 5000, CASE WHEN e.g % 10 = 0 THEN ' upstream timeout' ELSE '' END),
                jsonb_build_object('f', jsonb_build_array(format('src/routes/r%s.ts', e.g % 500)), 'fn', jsonb_build_array('handle'))
           FROM seed_events e WHERE e.g BETWEEN $2 AND $3`,
        [projectId, from, to, JSON.stringify(template)],
      );
      progress(`seeded ${to} events`);
    }
    // Their tags, counted per issue as storage counts them (migration 0009): browser (5 values), region
    // (4), and each event's level, release and environment.
    await client.query(
      `INSERT INTO issue_tags (project_id, issue_id, key, value, times_seen, first_seen, last_seen)
       SELECT $1, e.issue_id, kv.key, kv.value, count(*), min(e.t), max(e.t)
         FROM seed_events e,
              LATERAL (VALUES ('browser', (ARRAY['Chrome','Firefox','Safari','Edge','Opera'])[1 + e.g % 5]),
                              ('region', (ARRAY['eu-west','us-east','ap-south','sa-east'])[1 + e.g % 4]),
                              ('level', 'error'), ('release', 'app@1.0.0'), ('environment', 'production')) AS kv(key, value)
        GROUP BY 2, 3, 4`,
      [projectId],
    );
    // Their users (migration 0010): 20,000 of them, each with an id and an email.
    await client.query(
      `INSERT INTO issue_users (project_id, issue_id, user_key, times_seen, terms)
       SELECT $1, e.issue_id, 'id:' || (e.g % 20000), count(*), ARRAY['id:' || (e.g % 20000), 'email:user' || (e.g % 20000) || '@example.com']
         FROM seed_events e GROUP BY 2, 3, 5`,
      [projectId],
    );
    progress('seeded issue tags and users');
    await client.query(
      `INSERT INTO event_ids (project_id, event_id, received_at) SELECT project_id, event_id, received_at FROM events WHERE project_id = $1`,
      [projectId],
    );
    await client.query(
      `INSERT INTO issue_stats_hourly (project_id, issue_id, bucket, count)
       SELECT project_id, issue_id, date_trunc('hour', received_at), count(*) FROM events WHERE project_id = $1
        GROUP BY 1, 2, 3`,
      [projectId],
    );
    await client.query(
      `INSERT INTO project_stats_hourly (project_id, bucket, count)
       SELECT project_id, bucket, sum(count) FROM issue_stats_hourly WHERE project_id = $1 GROUP BY 1, 2`,
      [projectId],
    );
    await client.query(
      `UPDATE issues i SET count = a.n, user_count = least(a.n, 1 + (i.id % 50)), first_seen = a.first, last_seen = a.last
         FROM (SELECT issue_id, count(*) AS n, min(received_at) AS first, max(received_at) AS last
                 FROM events WHERE project_id = $1 GROUP BY issue_id) AS a
        WHERE i.id = a.issue_id`,
      [projectId],
    );
    // A synchronous commit flushes the WAL of the asynchronous ones before it: until then VACUUM can mark
    // none of their rows visible to all (PostgreSQL's rule for hint bits), and index-only scans read the heap.
    await client.query('SET synchronous_commit = on');
    await client.query('SELECT txid_current()');
    for (const table of SEEDED_TABLES) await client.query(`VACUUM ANALYZE ${table}`);
    for (const { name } of heaps) await client.query(`ALTER TABLE ${name} RESET (autovacuum_enabled)`);
    const { rows: visible } = await client.query<{ name: string; share: number }>(
      `SELECT coalesce(i.inhparent, c.oid)::regclass::text AS name,
              round(sum(c.relallvisible)::numeric / greatest(sum(c.relpages), 1), 2)::float AS share
         FROM pg_class c LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
        WHERE c.oid = ANY ($1::regclass[]) GROUP BY 1`,
      [heaps.map((h) => h.name)],
    );
    const { rows } = await client.query<{ hot: string; cold: string }>(
      `SELECT (SELECT id FROM issues WHERE project_id = $1 ORDER BY count DESC LIMIT 1) AS hot,
              (SELECT id FROM issues WHERE project_id = $1 ORDER BY count ASC LIMIT 1) AS cold`,
      [projectId],
    );
    return { issues, allVisible: Object.fromEntries(visible.map((r) => [r.name, r.share])), events, seconds: (performance.now() - start) / 1000, hotIssueId: String(rows[0].hot), coldIssueId: String(rows[0].cold), firstIssueId: base };
  } finally {
    await client.end();
  }
}
