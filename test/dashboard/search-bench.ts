// Archive search at scale (docs/performance.md, Dashboard): N entries in one team on a throwaway
// embedded PostgreSQL, then the dashboard's own read-model queries, timed. Not a jest test.
//   N=1000000 npx tsx test/dashboard/search-bench.ts
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedServer } from '../../src/storage/embedded-server.ts';
import { migrate } from '../../src/storage/migrator.ts';
import { createReadModels } from '../../src/storage/index.ts';
import { createDatabase } from '../../src/storage/sql.ts';

// The postgres OS user must be able to enter the directory.
const dir = mkdtempSync(join(tmpdir(), 'postroom-search-bench-'));
chmodSync(dir, 0o755);
const server = await startEmbeddedServer({
  dataDir: join(dir, 'pg'),
  port: 0,
  database: 'bench',
  ephemeral: true,
});
const pool = new pg.Pool({ connectionString: server.url, max: 4 });
await migrate(pool, 'migrations', () => {});
const N = Number(process.env.N ?? 200000);
await pool.query(
  `INSERT INTO teams (id, name, time_zone, question, created_at, updated_at) VALUES ('00000000-0000-7000-8000-000000000001','T','UTC','q',now(),now())`,
);
await pool.query(`INSERT INTO members (id, team_id, email, name, created_at, updated_at)
  SELECT ('00000000-0000-7000-8000-' || lpad(i::text, 12, '0'))::uuid, '00000000-0000-7000-8000-000000000001', 'm' || i || '@x.test', 'M' || i, now(), now() FROM generate_series(2, 51) i`);
const words = [
  'deploy',
  'billing',
  'review',
  'migration',
  'invoice',
  'search',
  'cache',
  'latency',
  'docs',
  'refactor',
  'oncall',
  'release',
];
await pool.query(
  `INSERT INTO entries (id, team_id, member_id, local_date, kind, text, tags, mentions, created_at, updated_at)
  SELECT gen_random_uuid(), '00000000-0000-7000-8000-000000000001', ('00000000-0000-7000-8000-' || lpad((2 + i % 50)::text, 12, '0'))::uuid,
         date '2026-11-24' - (i / 150), (ARRAY['done','goal','blocker'])[1 + i % 3],
         'worked on ' || ($2::text[])[1 + i % 12] || ' and ' || ($2::text[])[1 + (i / 7) % 12] || ' item ' || i || CASE WHEN i % 40 = 0 THEN ' #billing' ELSE '' END,
         CASE WHEN i % 40 = 0 THEN ARRAY['billing'] ELSE '{}' END, '{}', now(), now()
    FROM generate_series(1, $1::int) i`,
  [N, words],
);
await pool.query('ANALYZE');
const { teams, messages } = createReadModels(createDatabase(pool), { bossSchema: 'pgboss' });
const time = async (label: string, fn: () => Promise<unknown>, runs = 20) => {
  await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  console.log(
    `${label}: median ${t[Math.floor(runs / 2)]!.toFixed(1)} ms, p95 ${t[Math.floor(runs * 0.95)]!.toFixed(1)} ms`,
  );
};
const team = '00000000-0000-7000-8000-000000000001';
await time('search text "invoice latency"', () =>
  teams.search({ teamId: team, text: 'invoice latency', tags: [], mentions: [], limit: 200 }),
);
await time('search #billing', () =>
  teams.search({ teamId: team, text: '', tags: ['billing'], mentions: [], limit: 200 }),
);
await time('search text + kind + date', () =>
  teams.search({
    teamId: team,
    text: 'deploy',
    tags: [],
    mentions: [],
    kind: 'blocker',
    from: '2026-10-01',
    limit: 200,
  }),
);
await time('search rare word "123457"', () =>
  teams.search({ teamId: team, text: '123457', tags: [], mentions: [], limit: 200 }),
);
await time('month calendar counts', () => teams.dayCounts(team, '2026-11-01', '2026-11-30'));
if (process.env.MESSAGES) {
  // The message log: N messages, one recipient per 1 000, tags on 1 in 50; keyset page of 50.
  await pool.query(
    `INSERT INTO outbound_messages (id, status, stream, from_address, to_addresses, recipients, subject, tags,
       message_id_header, expires_at, created_at, updated_at)
     SELECT gen_random_uuid(), 'sent', 'transactional', '"a@x.test"', '[]', ARRAY['r' || (i % 1000) || '@x.test'],
            's', CASE WHEN i % 50 = 0 THEN ARRAY['weekly'] ELSE '{}' END, 'm' || i, now(), now(), now()
       FROM generate_series(1, $1::int) i`,
    [N],
  );
  await pool.query(`INSERT INTO outbound_messages (id, status, stream, from_address, to_addresses, recipients, subject,
       message_id_header, expires_at, created_at, updated_at)
     VALUES ('00000000-0000-7000-8000-000000000001', 'failed', 'transactional', '"a@x.test"', '[]', ARRAY['rare@x.test'], 's', 'rare', now(), now(), now())`);
  await pool.query('ANALYZE outbound_messages');
  await time('messages: first page', () => messages.list({ limit: 50 }));
  await time('messages: common recipient', () =>
    messages.list({ recipient: 'r7@x.test', limit: 50 }),
  );
  await time('messages: rare recipient', () =>
    messages.list({ recipient: 'rare@x.test', limit: 50 }),
  );
  await time('messages: tag', () => messages.list({ tag: 'weekly', limit: 50 }));
  await time('messages: status failed', () => messages.list({ status: 'failed', limit: 50 }));
}
const plan = await pool.query(
  `EXPLAIN SELECT id FROM entries e WHERE e.team_id = $1 AND e.search @@ websearch_to_tsquery('simple', '123457') LIMIT 200`,
  [team],
);
console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
await pool.end();
await server.stop();
