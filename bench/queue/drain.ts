/**
 * Queue drain: pg-boss with its defaults against a queue with the registry's deliberate settings
 * (batchSize 50, burstWhenBatchFull, partition, LISTEN/NOTIFY), same database, same run.
 *
 *   npx tsx bench/queue/drain.ts [--jobs 10000] [--baseline-seconds 20]
 *
 * Uses BENCH_DATABASE_URL, or starts an embedded PostgreSQL in a temp dir.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PgBoss } from 'pg-boss';
import { startEmbeddedServer } from '../../src/storage/embedded-server.js';
import { makeTempDir } from '../../test/support/temp-dir.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10000' },
    'baseline-seconds': { type: 'string', default: '20' },
  },
});
const JOBS = Number(values.jobs);
const BASELINE_SECONDS = Number(values['baseline-seconds']);

const env = process.env;
const server = env.BENCH_DATABASE_URL
  ? undefined
  : await startEmbeddedServer({
      dataDir: join(makeTempDir('postroom-bench-'), 'pg'),
      port: 0,
      database: 'bench',
      ephemeral: true,
    });
const url = env.BENCH_DATABASE_URL ?? server!.url;

const boss = new PgBoss({
  connectionString: url,
  schema: 'bench_boss',
  useListenNotify: true,
  max: 10,
});
boss.on('error', () => {});
await boss.start();

async function drain(name: string, count: number, seconds: number, work: object, queue: object) {
  await boss.createQueue(name, queue);
  for (let i = 0; i < count; i += 1000) {
    const n = Math.min(1000, count - i);
    await boss.insert(
      name,
      Array.from({ length: n }, (_, k) => ({ data: { i: i + k } })),
    );
  }
  let done = 0;
  const started = performance.now();
  await boss.work(name, work, async (jobs: unknown[]) => {
    done += jobs.length;
  });
  const deadline = started + seconds * 1000;
  while (done < count && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const elapsed = (performance.now() - started) / 1000;
  await boss.offWork(name);
  return { done, elapsed, rate: done / elapsed };
}

// (a) defaults: work() with batchSize 1 and 2 s polling; bounded by time, it drains ~0.5 jobs/s.
const a = await drain('bench.default', 200, BASELINE_SECONDS, {}, {});
// (b) the registry's settings for a high-volume queue.
const b = await drain(
  'bench.registry',
  JOBS,
  300,
  { batchSize: 50, burstWhenBatchFull: true, localConcurrency: 1, pollingIntervalSeconds: 0.5 },
  { partition: true, notify: true },
);

console.log(
  `(a) pg-boss defaults:        ${a.done} jobs in ${a.elapsed.toFixed(1)} s = ${a.rate.toFixed(1)} jobs/s`,
);
console.log(
  `(b) registry queue settings: ${b.done} jobs in ${b.elapsed.toFixed(1)} s = ${b.rate.toFixed(0)} jobs/s`,
);
console.log(`ratio b/a: ${(b.rate / a.rate).toFixed(0)}x`);

await boss.stop({ graceful: false, close: true });
await server?.stop();
