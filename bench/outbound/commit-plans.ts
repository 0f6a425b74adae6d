/**
 * What the send worker's commit costs PostgreSQL on the sessions it commits on (storage/db.ts,
 * createGenericPlanPool) against a usual session, on a populated and analyzed database: the
 * state a deployment is in once it has run a while, or after a restart. Both sides run the
 * product's own commit (the recorder over recordOutcomes) on messages the product accepted and
 * claimed. Commits of 1 (a quiet worker) and of 5 (the default send slots' half) alternate
 * between the two sides, round after round. Prints each side's server CPU and wall time per
 * commit (medians of the rounds) and the ratio usual / own.
 *
 *   npm run bench:commit-plans -- [--count=20000] [--rounds=4]
 */
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { silentLogger } from '../../src/lib/logger.js';
import type { OutboundFeature } from '../../src/main/features/outbound.js';
import { startProcess } from '../../src/main/runtime.js';
import { createRecorder } from '../../src/services/outbound/deliver-recorder.js';
import type { ClaimedMessage } from '../../src/services/outbound/ports/index.js';
import { createGenericPlanPool, createPool } from '../../src/storage/db.js';
import { repositories } from '../../src/storage/index.js';
import { createDatabase } from '../../src/storage/sql.js';
import { quietRecordDeps, sentSettlement } from '../../test/support/send-outcomes.js';
import { postAll } from './api-client.js';
import { benchConfig, benchDatabase } from './harness.js';
import { benchPostgres } from '../support/postgres.js';
import { median } from '../support/stats.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const COUNT = arg('count', 20_000);
const ROUNDS = arg('rounds', 4);
const SIZES = [
  { size: 1, commits: 200 },
  { size: 5, commits: 100 },
];

/** A backend's CPU in ms from /proc (null when PostgreSQL runs elsewhere). */
function backendCpuMs(pid: number): number | null {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return null;
  }
}

/** A fresh database with `COUNT` messages accepted through the API and claimed, then analyzed. */
async function populated(serverUrl: string): Promise<{ url: string; claimed: ClaimedMessage[] }> {
  const url = await benchDatabase(serverUrl, 'bench_plans');
  const config = benchConfig(url, { METRICS_ENABLED: 'false' });
  const proc = await startProcess(config, { web: true, worker: false }, silentLogger);
  const feature = proc.container.features.find((f) => f.name === 'outbound') as OutboundFeature;
  const { key } = await feature.services.apiKeys.create({ name: 'bench', scopes: ['admin'] });
  await postAll(`http://127.0.0.1:${proc.port}`, key, COUNT);
  const ids = (await proc.container.pool.query(`SELECT id FROM outbound_messages ORDER BY id`))
    .rows as { id: string }[];
  const claimed: ClaimedMessage[] = [];
  const now = new Date();
  for (let i = 0; i < ids.length; i += 500) {
    const group = ids.slice(i, i + 500).map((r) => r.id);
    const lease = new Date(now.getTime() + 3_600_000);
    claimed.push(
      ...(await repositories.outboundMessages.claimMessages(proc.container.db, group, now, lease)),
    );
  }
  await proc.container.pool.query('VACUUM ANALYZE');
  await proc.stop();
  return { url, claimed };
}

/** One side: a one-connection pool, its backend, and the recorder committing on it. */
async function side(pool: pg.Pool) {
  const pid = (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
  const deps = quietRecordDeps(createDatabase(pool));
  const results = new Map<number, { cpu: number[]; wall: number[] }>();
  return { pool, pid, deps, results };
}
type Side = Awaited<ReturnType<typeof side>>;

/** The MIME the commits store: about the size of the outbound bench's message. */
const raw = (m: ClaimedMessage) =>
  Buffer.from(`Subject: ${m.subject}\r\n\r\n${'x'.repeat(3_000)}\r\n`);

/** `commits` commits of `size` messages each on one side; records CPU and wall per commit. */
async function run(s: Side, size: number, commits: number, take: () => ClaimedMessage[]) {
  // The target is the size and the linger long, so each group of `size` is exactly one commit.
  const rec = createRecorder(s.deps, { batchTarget: size, lingerMs: 60_000 });
  const until = new Date(Date.now() + 3_600_000);
  const cpu0 = backendCpuMs(s.pid);
  const t0 = performance.now();
  for (let i = 0; i < commits; i++)
    await Promise.all(take().map((m) => rec.record(sentSettlement(m, raw(m)), until)));
  const wall = (performance.now() - t0) / commits;
  const cpu1 = backendCpuMs(s.pid);
  const r = s.results.get(size) ?? { cpu: [], wall: [] };
  if (cpu0 !== null && cpu1 !== null) r.cpu.push((cpu1 - cpu0) / commits);
  r.wall.push(wall);
  s.results.set(size, r);
}

async function main() {
  const server = await benchPostgres(process.env.BENCH_DATABASE_URL);
  try {
    const { url, claimed } = await populated(server.url);
    const needed = ROUNDS * 2 * SIZES.reduce((n, s) => n + s.size * s.commits, 0);
    if (claimed.length < needed) throw new Error(`--count must be at least ${needed}`);
    let next = 0;
    const usual = await side(createPool(url, 1, 'bench-usual'));
    const own = await side(createGenericPlanPool(url, 1, 'bench-commit'));
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate who goes first, so neither side always meets the table a step later.
      const order = round % 2 === 0 ? [usual, own] : [own, usual];
      for (const { size, commits } of SIZES)
        for (const s of order)
          await run(s, size, commits, () => claimed.slice(next, (next += size)));
    }
    console.log(
      `commit cost on a populated database (${COUNT} messages, ${ROUNDS} rounds), per commit:`,
    );
    for (const { size } of SIZES) {
      const [u, o] = [usual, own].map((s) => s.results.get(size)!);
      const cpu = u!.cpu.length
        ? `server CPU ${median(u!.cpu).toFixed(2)} vs ${median(o!.cpu).toFixed(2)} ms`
        : 'server CPU n/a';
      console.log(
        `  commits of ${size}: usual vs commit session: ${cpu}, wall ${median(u!.wall).toFixed(2)} vs ${median(o!.wall).toFixed(2)} ms; ` +
          `ratio usual/own: CPU ${u!.cpu.length ? (median(u!.cpu) / median(o!.cpu)).toFixed(2) : 'n/a'}, wall ${(median(u!.wall) / median(o!.wall)).toFixed(2)}`,
      );
    }
    await Promise.all([usual.pool.end(), own.pool.end()]);
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
