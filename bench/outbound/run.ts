/**
 * Outbound benchmark (issue 4). One run, on 127.0.0.1, against the same discarding smtp-server
 * sink (its own process):
 *   (a) raw pooled nodemailer, same pool size, N messages;
 *   (b) the batch-and-sleep design: batches of 20, 0.5 s sleep, pooled, bounded at 2,000;
 *   (c) Postroom: POST /v1/messages/batch (1,000 per call) → pg-boss → state machine → sink,
 *       until all N are `sent`; once per job mode (one job per message / a claimed group per job);
 *   then p50/p99 accept → sent at 200 msg/s through POST /v1/messages.
 * Usage: npm run bench:outbound [-- --count=20000 --latency-seconds=10]; PostgreSQL is a throwaway
 * embedded server, or BENCH_DATABASE_URL (a role that may CREATE DATABASE).
 *
 * --metrics=compare measures what metrics cost instead: (c) in batch mode with metrics off and
 * on (METRICS_PORT, scraped every --scrape-seconds as Prometheus would), alternating for
 * --rounds rounds in the same run, and prints the on/off ratio (target ≥ 0.97).
 * --metrics=on runs the whole bench with metrics on.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { OutboundFeature } from '../../src/main/features/outbound.js';
import { startProcess } from '../../src/main/runtime.js';
import { createPrometheusMetrics } from '../../src/main/metrics/prometheus.js';
import { benchPostgres } from '../support/postgres.js';
import { startSinkProcess } from '../support/sink-process.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '20000' },
    'bas-count': { type: 'string', default: '2000' },
    'latency-seconds': { type: 'string', default: '10' },
    pool: { type: 'string', default: '5' },
    modes: { type: 'string', default: 'batch,message' },
    'skip-baselines': { type: 'boolean', default: false },
    rate: { type: 'string', default: '200' },
    metrics: { type: 'string', default: 'off' },
    rounds: { type: 'string', default: '3' },
    'scrape-seconds': { type: 'string', default: '5' },
  },
});
const COUNT = Number(values.count);
const BAS_COUNT = Number(values['bas-count']);
const LAT_SECONDS = Number(values['latency-seconds']);
const POOL = Number(values.pool);

const HTML = `<html><body><h1>Weekly report</h1>${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>'.repeat(14)}</body></html>`;
const TEXT =
  'Weekly report\n\n' +
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n'.repeat(14);

async function startSink(): Promise<{ url: string; count(): Promise<number>; stop(): void }> {
  const sink = await startSinkProcess(join(import.meta.dirname, 'sink.ts'));
  return { url: sink.url, count: async () => Number(await sink.ask('count')), stop: sink.stop };
}

function transport(url: string) {
  const u = new URL(url);
  return nodemailer.createTransport({
    pool: true,
    host: u.hostname,
    port: Number(u.port),
    ignoreTLS: true,
    maxConnections: POOL,
    maxMessages: 1_000_000,
  });
}

function mail(i: number) {
  return {
    from: 'Bench <bench@example.com>',
    to: `user${i}@example.org`,
    subject: `Report ${i}`,
    html: HTML,
    text: TEXT,
  };
}

async function runRaw(url: string, n: number): Promise<number> {
  const t = transport(url);
  const started = performance.now();
  let next = 0;
  // Keep the pool saturated without queueing 20k promises at once.
  await Promise.all(
    Array.from({ length: POOL * 20 }, async () => {
      while (next < n) await t.sendMail(mail(next++));
    }),
  );
  const rate = n / ((performance.now() - started) / 1000);
  t.close();
  return rate;
}

async function runBatchAndSleep(url: string, n: number): Promise<number> {
  const t = transport(url);
  const started = performance.now();
  for (let i = 0; i < n; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, n - i) }, (_, k) => t.sendMail(mail(i + k))),
    );
    await sleep(500);
  }
  const rate = n / ((performance.now() - started) / 1000);
  t.close();
  return rate;
}

type BenchCtx = { baseUrl: string; key: string; pool: pg.Pool; metricsUrl: string | null };

async function withPostroom<T>(
  sinkUrl: string,
  pgUrl: string,
  mode: string,
  fn: (ctx: BenchCtx) => Promise<T>,
  metrics = values.metrics === 'on',
): Promise<T> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const dbName = `bench_${mode}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.pathname = `/${dbName}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: u.toString(),
    SECRET_KEY: 'bench-secret-0123456789abcdef0123456789abcdef',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WORKER_SELF_TEST: 'false',
    PG_POOL_MAX: '10',
    SMTP_URL: sinkUrl,
    SMTP_IGNORE_TLS: 'true',
    SMTP_POOL_CONNECTIONS: String(POOL),
    MAIL_FROM: 'Bench <bench@example.com>',
    OUTBOUND_JOB_MODE: mode,
    // Production: metrics are served only on their own port, and only when asked for.
    ...(metrics ? { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } : { METRICS_ENABLED: 'false' }),
    // Pass-through for tuning runs: BENCH_ENV='OUTBOUND_WORKER_BATCH_SIZE=4,OUTBOUND_WORKER_CONCURRENCY=3'
    ...Object.fromEntries(
      (process.env.BENCH_ENV ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => kv.split('=')),
    ),
  });
  const proc = await startProcess(config, { web: true, worker: true }, silentLogger);
  const feature = proc.container.features.find((f) => f.name === 'outbound') as OutboundFeature;
  const { key } = await feature.services.apiKeys.create({ name: 'bench', scopes: ['admin'] });
  const pool = new pg.Pool({ connectionString: u.toString(), max: 2 });
  const port = proc.container.operations.metricsPort();
  const metricsUrl = port ? `http://127.0.0.1:${port}/metrics` : null;
  try {
    return await fn({ baseUrl: `http://127.0.0.1:${proc.port}`, key, pool, metricsUrl });
  } finally {
    await pool.end();
    await proc.stop();
  }
}

async function post(baseUrl: string, key: string, path: string, body: unknown) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ accepted?: unknown[] }>;
}

async function countSent(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM outbound_messages WHERE status = 'sent'`,
  );
  return rows[0].n as number;
}

async function runPostroom(
  ctx: BenchCtx,
  n: number,
): Promise<{ rate: number; acceptSeconds: number; scrapes: number; cpuUsPerMessage: number }> {
  const started = performance.now();
  // This process's CPU (the app runs in it; PostgreSQL and the sink do not): what metrics add
  // shows here even when other work on the machine makes the throughput noisy.
  const cpu = process.cpuUsage();
  const scraping = scrapeWhile(ctx.metricsUrl);
  for (let i = 0; i < n; i += 1000) {
    const messages = Array.from({ length: Math.min(1000, n - i) }, (_, k) => ({
      to: [`user${i + k}@example.org`],
      subject: `Report ${i + k}`,
      html: HTML,
      text: TEXT,
    }));
    await post(ctx.baseUrl, ctx.key, '/v1/messages/batch', { messages });
  }
  const acceptSeconds = (performance.now() - started) / 1000;
  while ((await countSent(ctx.pool)) < n) await sleep(100);
  const rate = n / ((performance.now() - started) / 1000);
  const scrapes = await scraping.stop();
  const used = process.cpuUsage(cpu);
  return { rate, acceptSeconds, scrapes, cpuUsPerMessage: (used.user + used.system) / n };
}

/** Scrapes /metrics every --scrape-seconds while the run lasts, as a Prometheus would. */
function scrapeWhile(url: string | null) {
  let running = true;
  let scrapes = 0;
  const loop = (async () => {
    while (running && url) {
      const text = await (await fetch(url)).text();
      if (!text.includes('postroom_outbound_transitions_total')) throw new Error('bad scrape');
      scrapes++;
      await sleep(Number(values['scrape-seconds']) * 1000);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return scrapes;
    },
  };
}

/**
 * What the Telemetry calls of one sent message cost on their own, without the noise of a busy
 * machine: acceptance, claim, sent, the SMTP reply, the latency, its share of a job batch (50)
 * and of a batch request (1,000).
 */
function telemetryMicroseconds(n = 200_000): number {
  const { telemetry: t } = createPrometheusMetrics(async () => {
    throw new Error('not scraped');
  }, silentLogger);
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    t.messagesTransitioned('new', 'queued', 1);
    t.messagesTransitioned('queued', 'sending', 1);
    t.messagesTransitioned('sending', 'sent', 1);
    t.smtpReplied('smtp', '2xx', 0.012);
    t.messageSent(0.35);
    if (i % 50 === 0) t.jobBatchFinished('outbound.send', 0.4, 50, 0);
    if (i % 1000 === 0) t.httpRequest('POST', '/v1/messages/batch', 202, 0.9);
  }
  return Number(process.hrtime.bigint() - started) / 1000 / n;
}

/** (c) in batch mode, metrics off and on alternately, in the same run: the on/off ratio. */
async function compareMetrics(sinkUrl: string, pgUrl: string): Promise<void> {
  const rates: Record<'off' | 'on', number[]> = { off: [], on: [] };
  const cpu: Record<'off' | 'on', number[]> = { off: [], on: [] };
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const m of ['off', 'on'] as const) {
      const run = (ctx: BenchCtx) => runPostroom(ctx, COUNT);
      const r = await withPostroom(sinkUrl, pgUrl, 'batch', run, m === 'on');
      rates[m].push(r.rate);
      cpu[m].push(r.cpuUsPerMessage);
      console.log(
        `round ${round}, metrics ${m.padEnd(3)}: ${fmt(r.rate)} msg/s, ${fmt(r.cpuUsPerMessage)} µs CPU/msg (${r.scrapes} scrapes)`,
      );
    }
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const ratio = median(rates.on) / median(rates.off);
  console.log(
    `throughput on/off (median of ${values.rounds}): ${fmt(median(rates.on))} / ${fmt(median(rates.off))} msg/s = ${ratio.toFixed(3)} (target ≥ 0.97)`,
  );
  const cost = median(cpu.on) / median(cpu.off);
  console.log(
    `CPU per message on/off: ${fmt(median(cpu.on))} / ${fmt(median(cpu.off))} µs = ${cost.toFixed(3)}`,
  );
  const calls = telemetryMicroseconds();
  console.log(
    `the metrics calls one sent message makes: ${calls.toFixed(2)} µs = ${((calls / median(cpu.off)) * 100).toFixed(2)} % of its CPU`,
  );
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
const server = await benchPostgres(process.env.BENCH_DATABASE_URL);
try {
  if (values.metrics === 'compare') {
    console.log(`outbound bench, metrics overhead: N=${COUNT}, node ${process.version}`);
    await compareMetrics(sink.url, server.url);
    sink.stop();
    await server.stop();
    process.exit(0);
  }
  console.log(
    `outbound bench: N=${COUNT}, batch-and-sleep N=${BAS_COUNT}, pool ${POOL}, ${HTML.length + TEXT.length} bytes of body, node ${process.version}`,
  );
  const a = values['skip-baselines'] ? 1 : await runRaw(sink.url, COUNT);
  console.log(`(a) raw pooled nodemailer        ${fmt(a)} msg/s`);
  const b = values['skip-baselines'] ? 1 : await runBatchAndSleep(sink.url, BAS_COUNT);
  console.log(`(b) batch of 20 + 0.5 s sleep    ${fmt(b)} msg/s`);
  const results: Record<string, number> = {};
  let latency: { p50: number; p99: number; n: number; achieved: number } | null = null;
  for (const mode of values.modes!.split(',')) {
    await withPostroom(sink.url, server.url, mode, async (ctx) => {
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
} finally {
  sink.stop();
  await server.stop();
}
process.exit(0);
