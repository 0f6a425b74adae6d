/**
 * Outbound benchmark (issue 4). One run, on 127.0.0.1, against the same discarding smtp-server
 * sink (its own process):
 *   (a) raw pooled nodemailer, same pool size, N messages;
 *   (b) the batch-and-sleep design: batches of 20, 0.5 s sleep, pooled, bounded at 2,000;
 *   (c) Postroom: POST /v1/messages/batch (1,000 per call, from poster.ts in its own process)
 *       → pg-boss → state machine → sink, until all N are `sent`; once per job mode (one job
 *       per message / a claimed group per job);
 *   then p50/p99 accept → sent at 200 msg/s through POST /v1/messages.
 * Usage: npm run bench:outbound [-- --count=20000 --latency-seconds=10]; PostgreSQL is a throwaway
 * embedded server, or BENCH_DATABASE_URL (a role that may CREATE DATABASE).
 *
 * --pairs=N runs (a) and (c) in batch mode alternately N times in the same run and prints the
 * median of the pairs' c/a, with each side's CPU per message (pairs.ts).
 * --metrics=compare measures what metrics cost instead (metrics-compare.ts); --metrics=on runs
 * the whole bench with metrics on.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { benchPostgres } from '../support/postgres.js';
import { startLineProcess, startSinkProcess } from '../support/line-process.js';
import { HTML, TEXT, post } from './api-client.js';
import {
  countSent,
  runBatchAndSleep,
  runPostroom,
  runRaw,
  withPostroom,
  type BenchCtx,
} from './harness.js';
import { compareMetrics } from './metrics-compare.js';
import { runPairs } from './pairs.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    'bas-count': { type: 'string', default: '2000' },
    'latency-seconds': { type: 'string', default: '10' },
    pool: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'batch,message' },
    'skip-baselines': { type: 'boolean', default: false },
    rate: { type: 'string', default: '200' },
    pairs: { type: 'string', default: '1' },
    metrics: { type: 'string', default: 'off' },
    rounds: { type: 'string', default: '3' },
    'scrape-seconds': { type: 'string', default: '5' },
  },
});
const COUNT = Number(values.count);
const BAS_COUNT = Number(values['bas-count']);
const LAT_SECONDS = Number(values['latency-seconds']);
const POOL = Number(values.pool);
const PAIRS = Number(values.pairs);

async function startSink(): Promise<{ url: string; count(): Promise<number>; stop(): void }> {
  const sink = await startSinkProcess(join(import.meta.dirname, 'sink.ts'));
  const count = async () => {
    const answer = await sink.ask('count');
    if (!/^\d+$/.test(answer)) throw new Error(`the sink: ${answer}`);
    return Number(answer);
  };
  return { url: sink.url, count, stop: sink.stop };
}

async function runLatency(ctx: BenchCtx, perSecond: number, seconds: number) {
  await ctx.pool.query(`DELETE FROM outbound_messages`);
  const total = perSecond * seconds;
  const started = performance.now();
  const inflight: Promise<unknown>[] = [];
  const postMs: number[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const t0 = performance.now();
    inflight.push(
      post(ctx.baseUrl, ctx.key, '/v1/messages', {
        to: [`lat${i}@example.org`],
        subject: `Lat ${i}`,
        html: HTML,
        text: TEXT,
      }).then(() => postMs.push(performance.now() - t0)),
    );
  }
  await Promise.all(inflight);
  while ((await countSent(ctx.pool)) < total) await sleep(100);
  const { rows } = await ctx.pool.query(
    `SELECT extract(epoch FROM (sent_at - created_at)) * 1000 AS ms FROM outbound_messages ORDER BY 1`,
  );
  const ms = rows.map((r) => Number(r.ms));
  postMs.sort((x, y) => x - y);
  console.log(
    `  POST /v1/messages response time: p50 ${postMs[Math.floor(postMs.length / 2)]?.toFixed(1)} ms, max ${postMs[postMs.length - 1]?.toFixed(1)} ms`,
  );
  if (process.env.BENCH_DEBUG) {
    const { rows: st } = await ctx.pool.query(
      `SELECT e.type, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - m.created_at) * 1000) AS p50 FROM message_events e JOIN outbound_messages m ON m.id = e.message_id GROUP BY e.type`,
    );
    console.log(st);
  }
  const q = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!;
  return {
    p50: q(0.5),
    p99: q(0.99),
    n: ms.length,
    achieved: total / ((performance.now() - started) / 1000),
  };
}

const fmt = (n: number) => n.toFixed(0);

const sink = await startSink();
const poster = await startLineProcess(join(import.meta.dirname, 'poster.ts'));
const server = await benchPostgres(process.env.BENCH_DATABASE_URL);
const postroom = (mode: string) => ({
  sinkUrl: sink.url,
  pgUrl: server.url,
  mode,
  pool: POOL,
  metrics: values.metrics === 'on',
  sinkCount: sink.count,
  poster,
});

async function runOnce(): Promise<void> {
  console.log(
    `outbound bench: N=${COUNT}, batch-and-sleep N=${BAS_COUNT}, pool ${POOL}, ${HTML.length + TEXT.length} bytes of body, node ${process.version}`,
  );
  const a = values['skip-baselines'] ? 1 : await runRaw(sink.url, COUNT, POOL);
  console.log(`(a) raw pooled nodemailer        ${fmt(a)} msg/s`);
  const b = values['skip-baselines'] ? 1 : await runBatchAndSleep(sink.url, BAS_COUNT, POOL);
  console.log(`(b) batch of 20 + 0.5 s sleep    ${fmt(b)} msg/s`);
  const results: Record<string, number> = {};
  let latency: { p50: number; p99: number; n: number; achieved: number } | null = null;
  for (const mode of values.modes!.split(',')) {
    await withPostroom(postroom(mode), async (ctx) => {
      const r = await runPostroom(ctx, COUNT);
      results[mode] = r.rate;
      console.log(
        `(c) Postroom, job mode ${mode.padEnd(8)} ${fmt(r.rate)} msg/s  (accepting ${COUNT} took ${r.acceptSeconds.toFixed(1)} s)  c/a ${(r.rate / a).toFixed(2)}  c/b ${(r.rate / b).toFixed(1)}`,
      );
      if (!latency) {
        latency = await runLatency(ctx, Number(values.rate), LAT_SECONDS);
        console.log(
          `accept → sent at ${values.rate} msg/s (${latency.n} messages): p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms`,
        );
      }
    });
  }
  const best = Object.entries(results).sort((x, y) => y[1] - x[1])[0]!;
  console.log(
    `best mode: ${best[0]}  c/a ${(best[1] / a).toFixed(2)} (target ≥ 0.7)  c/b ${(best[1] / b).toFixed(1)} (target ≥ 10)`,
  );
  console.log(`sink received ${await sink.count()} messages in all`);
}

try {
  if (values.metrics === 'compare') {
    console.log(`outbound bench, metrics overhead: N=${COUNT}, node ${process.version}`);
    await compareMetrics({
      sinkUrl: sink.url,
      pgUrl: server.url,
      count: COUNT,
      rounds: Number(values.rounds),
      pool: POOL,
      scrapeSeconds: Number(values['scrape-seconds']),
      sinkCount: sink.count,
      poster,
    });
  } else if (PAIRS > 1) await runPairs(PAIRS, COUNT, sink.url, postroom('batch'));
  else await runOnce();
} finally {
  poster.stop();
  sink.stop();
  await server.stop();
}
process.exit(0);
