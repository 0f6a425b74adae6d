/**
 * Check-in benchmarks (results in docs/performance.md, Check-ins). Starts an ephemeral embedded
 * PostgreSQL (or uses BENCH_DATABASE_URL), applies the migrations and measures:
 *  1. planning one due minute for 100,000 members in 40 zones (one team per zone),
 *     including the pg-boss fan-out insert;
 *  2. planning a whole day: every one of the 100,000 prompts in one catch-up tick, and a
 *     steady-state day of 1,440 minutely ticks;
 *  3. building the digest of a 10,000-member team with 30,000 entries.
 * Run: npm run bench:checkins
 */
import type { ExtractReply } from '../../src/reply/index.js';
import { join } from 'node:path';
import { PgBoss } from 'pg-boss';
import { createPool } from '../../src/storage/db.js';
import { createDatabase, jobSql, query } from '../../src/storage/sql.js';
import { migrate } from '../../src/storage/migrator.js';
import { createBossQueue } from '../../src/jobs/boss-queue.js';
import { QueueRegistry } from '../../src/jobs/registry.js';
import { checkinsQueues } from '../../src/jobs/checkins/queues.js';
import { repositories } from '../../src/storage/index.js';
import { createCheckinsServices } from '../../src/services/checkins/index.js';
import { localInstant } from '../../src/domain/schedule/local-time.js';
import { ManualClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { newId } from '../../src/lib/ids.js';
import type { Database, Executor } from '../../src/services/ports.js';
import type { CheckinsSettings } from '../../src/services/checkins/settings.js';
import { ZONES } from '../../test/checkins/zones.js';
import { benchPostgres } from '../support/postgres.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const DAY_TICKS = Number(process.env.BENCH_DAY_TICKS ?? 1440);
const DIGEST_MEMBERS = 10_000;
const DIGEST_ENTRIES = 30_000;
const DAY = '2026-11-24'; // a Tuesday

const ms = (t0: number) => Math.round(performance.now() - t0);

async function main() {
  const { url, stop } = await benchPostgres(process.env.BENCH_DATABASE_URL);
  const pool = createPool(url, 6, 'bench');
  const timing = new Map<string, { n: number; ms: number }>();
  const raw = createDatabase(pool);
  // A bench-only executor that times each statement; storage opens it like the pool's.
  const timed = (ex: Executor): Executor =>
    ({
      async query(text: string, values?: unknown[]) {
        const s0 = performance.now();
        try {
          return await query(ex, text, values);
        } finally {
          const k = text.replace(/\s+/g, ' ').trim().slice(0, 50);
          const e = timing.get(k) ?? { n: 0, ms: 0 };
          e.n++;
          e.ms += performance.now() - s0;
          timing.set(k, e);
        }
      },
    }) as unknown as Executor;
  const db = Object.assign(timed(raw), {
    transaction: <T>(fn: (tx: Executor) => Promise<T>) => raw.transaction((tx) => fn(timed(tx))),
  }) as Database;
  await migrate(pool, join(import.meta.dirname, '../../migrations'));
  await pool.query('TRUNCATE teams CASCADE; TRUNCATE checkin_ticks');
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss_bench',
    supervise: false,
    schedule: false,
    migrate: true,
  });
  boss.on('error', () => {});
  await boss.start();
  const registry = new QueueRegistry();
  const clock = new ManualClock(`${DAY}T00:00:00Z`);
  const settings: CheckinsSettings = {
    catchUpHours: 6,
    maxLookbackHours: 48,
    quietHours: { start: '22:00', end: '07:00' },
    defaultQuestion: 'What did you get done today?',
    from: undefined,
    inboundDomain: 'in.example.test',
    publicUrl: 'http://localhost',
    secret: 'bench-secret-0123456789abcdef0123456789',
    replyTokenDays: 30,
    batchSize: 100,
  };
  const { teams, digests, checkInTicks } = repositories;
  const queue = createBossQueue(boss, registry, jobSql);
  const outbound = {
    sendMessage: async () => ({ id: newId(), status: 'queued', message_id: '<x@bench>' }),
  };
  // The tick bench measures planning and sending, not reply extraction.
  const keepWholeText: ExtractReply = (i) => ({
    text: i.text || '',
    quoted: '',
    signature: '',
    method: 'plain',
    flags: [],
  });
  const services = createCheckinsServices({
    db,
    repositories,
    queue,
    outbound,
    settings,
    clock,
    log: silentLogger,
    extractReply: keepWholeText,
    parseEntries: () => [],
  });
  registry.add(...checkinsQueues({ ...services, clock }));
  for (const spec of registry.all()) {
    const { partition, notify, ...policy } = spec.policy;
    if (!(await boss.getQueue(spec.name)))
      await boss.createQueue(spec.name, { ...policy, partition, notify });
  }
  const out: Record<string, unknown> = {};

  // ---- seed: 100k members, one team per zone, 10 % with a personal prompt time
  let t0 = performance.now();
  const created = new Date('2026-01-01T00:00:00Z');
  const teamIds: string[] = [];
  for (const zone of ZONES) {
    const id = newId();
    teamIds.push(id);
    await teams.createTeam(
      db,
      {
        id,
        name: zone,
        time_zone: zone,
        prompt_time: '17:00',
        digest_time: '08:00',
        weekdays: [1, 2, 3, 4, 5],
        question: 'q',
        reminder_enabled: true,
        reminder_minutes_before_cutoff: 60,
        cutoff_time: '23:00',
      },
      created,
    );
  }
  await pool.query(
    `INSERT INTO members (id, team_id, email, name, role, prompt_time, status, created_at, updated_at)
     SELECT checkins_uuidv7(), ($1::uuid[])[1 + (g % $2)], 'm' || g || '@example.test', 'Member ' || g, 'member',
            CASE WHEN g % 10 = 0 THEN '18:30'::time END, 'active', $3, $3
       FROM generate_series(1, $4) g`,
    [teamIds, teamIds.length, created, MEMBERS],
  );
  await pool.query('ANALYZE');
  out.seed_ms = ms(t0);

  const berlin = teamIds[ZONES.indexOf('Europe/Berlin')]!;
  // ---- 1. one due minute: 17:00 in Berlin (2,250 members at the team time)
  const due = localInstant(DAY, '17:00', 'Europe/Berlin');
  await pool.query(
    `INSERT INTO checkin_ticks (name, last_tick_at, updated_at) VALUES ('prompts', $1, now())`,
    [new Date(due.getTime() - 60_000)],
  );
  t0 = performance.now();
  const r1 = await services.planner.tick(due);
  out.one_minute = { ms: ms(t0), prompts: r1.prompts };
  void berlin;

  // ---- 2a. a whole day in one tick: watermark 24 h back, catch-up 24 h
  await pool.query('TRUNCATE prompts CASCADE; TRUNCATE checkin_ticks');
  await pool.query(`DELETE FROM pgboss_bench.job WHERE name LIKE 'checkins.%'`).catch(() => {});
  const dayEnd = new Date(`${DAY}T23:59:00Z`);
  const wide = createCheckinsServices({
    db,
    repositories,
    queue,
    outbound,
    settings: { ...settings, catchUpHours: 48, maxLookbackHours: 48 },
    clock,
    log: silentLogger,
    extractReply: keepWholeText,
    parseEntries: () => [],
  });
  await pool.query(
    `INSERT INTO checkin_ticks (name, last_tick_at, updated_at) VALUES ('prompts', $1, now())`,
    [new Date(dayEnd.getTime() - 24 * 3_600_000)],
  );
  if (process.env.BENCH_EXPLAIN) {
    const { slotsInWindow } = await import('../../src/domain/schedule/slots.js');
    const { tickWindow } = await import('../../src/domain/schedule/catch-up.js');
    const { PLAN_PROMPTS, planPromptsParams } =
      await import('../../src/storage/repositories/check-in-ticks.js');
    const sch = [
      ...(await db.transaction((tx) => checkInTicks.beginTick(tx))).schedules.prompts,
      ...(await checkInTicks.listPersonalSchedules(db)),
    ];
    const slots = slotsInWindow(
      sch,
      tickWindow({
        now: dayEnd,
        watermark: new Date(dayEnd.getTime() - 86_400_000),
        catchUpHours: 48,
        maxLookbackHours: 48,
      }),
      null,
    );
    const c = await pool.connect();
    await c.query('BEGIN');
    const plan = await c.query(
      'EXPLAIN (ANALYZE, BUFFERS) ' + PLAN_PROMPTS,
      planPromptsParams(slots, dayEnd),
    );
    await c.query('ROLLBACK');
    c.release();
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  timing.clear();
  t0 = performance.now();
  const r2 = await wide.planner.tick(dayEnd);
  out.whole_day_one_tick = { ms: ms(t0), prompts: r2.prompts, digests: r2.digests };
  if (process.env.BENCH_PROFILE)
    out.whole_day_statements = Object.fromEntries(
      [...timing].map(([k, v]) => [k, { n: v.n, ms: Math.round(v.ms) }]),
    );

  // ---- 2b. the same day as 1,440 minutely ticks (steady state: most minutes plan nothing)
  await pool.query('TRUNCATE prompts CASCADE; TRUNCATE digests CASCADE; TRUNCATE checkin_ticks');
  const start = Date.parse(`${DAY}T00:00:00Z`);
  await pool.query(
    `INSERT INTO checkin_ticks (name, last_tick_at, updated_at) VALUES ('prompts', $1, now())`,
    [new Date(start)],
  );
  timing.clear();
  t0 = performance.now();
  let planned = 0;
  let slowest = 0;
  for (let i = 1; i <= DAY_TICKS; i++) {
    const s0 = performance.now();
    planned += (await services.planner.tick(new Date(start + i * 60_000))).prompts;
    slowest = Math.max(slowest, performance.now() - s0);
  }
  out.whole_day_minutely = {
    ms: ms(t0),
    ticks: DAY_TICKS,
    prompts: planned,
    slowest_tick_ms: Math.round(slowest),
  };
  if (process.env.BENCH_PROFILE)
    out.statements = Object.fromEntries(
      [...timing].map(([k, v]) => [k, { n: v.n, ms: Math.round(v.ms) }]),
    );
  const jobs = await pool
    .query(`SELECT count(*)::int AS n FROM pgboss_bench.job WHERE name = 'checkins.prompt.send'`)
    .catch(() => ({ rows: [{ n: -1 }] }));
  out.prompt_send_jobs = jobs.rows[0];

  // ---- 3. digest build: 10,000 members, 30,000 entries on one day
  const team = newId();
  await teams.createTeam(
    db,
    {
      id: team,
      name: 'Big team',
      time_zone: 'Europe/Berlin',
      prompt_time: '17:00',
      digest_time: '08:00',
      weekdays: [1, 2, 3, 4, 5],
      question: 'q',
      reminder_enabled: false,
      reminder_minutes_before_cutoff: 60,
      cutoff_time: '23:00',
    },
    created,
  );
  await pool.query(
    `INSERT INTO members (id, team_id, email, name, role, status, created_at, updated_at)
     SELECT checkins_uuidv7(), $1, 'big' || g || '@example.test', 'Person ' || g, CASE WHEN g % 20 = 0 THEN 'observer' ELSE 'member' END, 'active', $2, $2
       FROM generate_series(1, $3) g`,
    [team, created, DIGEST_MEMBERS],
  );
  await pool.query(
    `INSERT INTO entries (id, team_id, member_id, local_date, kind, text, tags, mentions, created_at, updated_at)
     SELECT checkins_uuidv7(), $1, m.id, $2, (ARRAY['done','done','goal','blocker'])[1 + (k % 4)],
            'Worked on item ' || k || ' with @person' || (k % 97) || ' #area' || (k % 7), ARRAY['area' || (k % 7)], ARRAY['person' || (k % 97)], $3, $3
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM members WHERE team_id = $1) m
       CROSS JOIN generate_series(1, 3) AS s(i)
       CROSS JOIN LATERAL (SELECT m.n * 3 + s.i AS k) x
      WHERE m.n * 3 + s.i <= $4 + 3`,
    [team, '2026-11-23', created, DIGEST_ENTRIES],
  );
  await pool.query('ANALYZE entries');
  const entryCount = (
    await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM entries WHERE team_id = $1', [
      team,
    ])
  ).rows[0]!.n;
  const digest = await digests.createDigest(
    db,
    {
      team_id: team,
      local_date: '2026-11-23',
      send_date: DAY,
      due_at: localInstant(DAY, '08:00', 'Europe/Berlin'),
    },
    clock.now(),
  );
  t0 = performance.now();
  const built = await services.digests.build(digest.id);
  out.digest_build = {
    ms: ms(t0),
    entries: entryCount,
    recipients: built.recipients_total,
    status: built.status,
  };
  // One recipient's personalised render, for scale.
  t0 = performance.now();
  const { digestViewFor } = await import('../../src/domain/checkins/digest-view.js');
  const { renderDigestMail } = await import('../../src/templates/checkins/digest-mail.js');
  const view = digestViewFor(built.content!, { name: 'Person 5', email: 'person5@example.test' });
  const mail = renderDigestMail({
    ...view,
    subject: 's',
    preferencesUrl: 'u',
    unsubscribeUrl: 'u',
  });
  out.digest_render_one_reader = { ms: ms(t0), html_bytes: mail.html.length };

  console.log(JSON.stringify(out, null, 2));
  await boss.stop({ graceful: false, timeout: 2000 }).catch(() => {});
  await pool.end();
  await stop();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
