/**
 * The outbound bench's parts (run.ts drives them): the raw nodemailer baselines, and a Postroom
 * process (web and worker in one, as `npm start` runs it) on a fresh database, fed through the
 * HTTP API by the poster process (poster.ts) until every message is `sent`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { silentLogger } from '../../src/lib/logger.js';
import type { OutboundFeature } from '../../src/main/features/outbound.js';
import { startProcess } from '../../src/main/runtime.js';
import type { LineProcess } from '../support/line-process.js';
import { HTML, TEXT } from './api-client.js';

function transport(url: string, pool: number) {
  const u = new URL(url);
  return nodemailer.createTransport({
    pool: true,
    host: u.hostname,
    port: Number(u.port),
    ignoreTLS: true,
    maxConnections: pool,
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

/** (a): N messages through one pooled transport, kept saturated. */
export async function runRaw(url: string, n: number, pool: number): Promise<number> {
  const t = transport(url, pool);
  const started = performance.now();
  let next = 0;
  // Keep the pool saturated without queueing 20k promises at once.
  await Promise.all(
    Array.from({ length: pool * 20 }, async () => {
      while (next < n) await t.sendMail(mail(next++));
    }),
  );
  const rate = n / ((performance.now() - started) / 1000);
  t.close();
  return rate;
}

/** (b): batches of 20 and a 0.5 s sleep, the design Postroom replaced. */
export async function runBatchAndSleep(url: string, n: number, pool: number): Promise<number> {
  const t = transport(url, pool);
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

export type BenchCtx = {
  baseUrl: string;
  key: string;
  pool: pg.Pool;
  metricsUrl: string | null;
  /** How many messages the sink has received, in all. */
  sinkCount: () => Promise<number>;
  /** The API client, in its own process (poster.ts). */
  poster: LineProcess;
};

export interface PostroomOptions {
  sinkUrl: string;
  pgUrl: string;
  /** OUTBOUND_JOB_MODE */
  mode: string;
  /** SMTP pool connections, as (a) has */
  pool: number;
  metrics: boolean;
  sinkCount: () => Promise<number>;
  poster: LineProcess;
}

/** A new database on the bench's PostgreSQL server, named `prefix` and the time; its URL. */
export async function benchDatabase(serverUrl: string, prefix: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `${prefix}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A Postroom process's config for a bench: production mode, quiet, on `databaseUrl`. */
export function benchConfig(databaseUrl: string, env: Record<string, string>) {
  return loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SECRET_KEY: 'bench-secret-0123456789abcdef0123456789abcdef',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    WORKER_SELF_TEST: 'false',
    MAIL_FROM: 'Bench <bench@example.com>',
    ...env,
  });
}

/** Runs `fn` against a Postroom process on a database of its own, then stops it. */
export async function withPostroom<T>(
  { sinkUrl, pgUrl, mode, pool: smtpPool, metrics, sinkCount, poster }: PostroomOptions,
  fn: (ctx: BenchCtx) => Promise<T>,
): Promise<T> {
  const url = await benchDatabase(pgUrl, `bench_${mode}`);
  const config = benchConfig(url, {
    PG_POOL_MAX: '10',
    SMTP_URL: sinkUrl,
    SMTP_IGNORE_TLS: 'true',
    SMTP_POOL_CONNECTIONS: String(smtpPool),
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
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const port = proc.container.operations.metricsPort();
  const metricsUrl = port ? `http://127.0.0.1:${port}/metrics` : null;
  try {
    const baseUrl = `http://127.0.0.1:${proc.port}`;
    return await fn({ baseUrl, key, pool, metricsUrl, sinkCount, poster });
  } finally {
    await pool.end();
    await proc.stop();
  }
}

export async function countSent(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM outbound_messages WHERE status = 'sent'`,
  );
  return rows[0].n as number;
}

/** (c): N messages through POST /v1/messages/batch, timed until all are `sent`. */
export async function runPostroom(
  ctx: BenchCtx,
  n: number,
  scrapeSeconds = 5,
): Promise<{ rate: number; acceptSeconds: number; scrapes: number; cpuUsPerMessage: number }> {
  const received = await ctx.sinkCount();
  const started = performance.now();
  // This process's CPU (the app runs in it; PostgreSQL, the sink and the poster do not): what metrics add
  // shows here even when other work on the machine makes the throughput noisy.
  const cpu = process.cpuUsage();
  const scraping = scrapeWhile(ctx.metricsUrl, scrapeSeconds);
  const answer = await ctx.poster.ask(`post ${ctx.baseUrl} ${ctx.key} ${n}`);
  if (answer !== 'done') throw new Error(`the poster: ${answer}`);
  const acceptSeconds = (performance.now() - started) / 1000;
  // The sink first (its own process): polling PostgreSQL every 100 ms for the whole run cost it
  // ~8 % of its statement time, load that (a) does not carry. The run still ends only once
  // PostgreSQL has every message `sent`.
  while ((await ctx.sinkCount()) < received + n) await sleep(20);
  while ((await countSent(ctx.pool)) < n) await sleep(10);
  const rate = n / ((performance.now() - started) / 1000);
  const scrapes = await scraping.stop();
  const used = process.cpuUsage(cpu);
  return { rate, acceptSeconds, scrapes, cpuUsPerMessage: (used.user + used.system) / n };
}

/** Scrapes /metrics every `seconds` while the run lasts, as a Prometheus would. */
function scrapeWhile(url: string | null, seconds: number) {
  let running = true;
  let scrapes = 0;
  const loop = (async () => {
    while (running && url) {
      const text = await (await fetch(url)).text();
      if (!text.includes('postroom_outbound_transitions_total')) throw new Error('bad scrape');
      scrapes++;
      await sleep(seconds * 1000);
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
