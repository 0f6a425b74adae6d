/**
 * Inbound benchmark (issues 5 and 12). One run on 127.0.0.1, 50 connections for 10 s, each
 * request a freshly signed ~4 KB Mailgun `body-mime` POST (new token each, so nothing is deduped):
 *   (a) express + multer + one INSERT, (b) Postroom's full ingress. Prints req/s, p50, p99 and
 * b/a (target ≥ 0.6, p99 < 100 ms). Then fills 10,000 messages through the receive service and
 * drains them through `inbound.process` with the real workers, printing messages/s. Then (c) the
 * route-and-webhook path (routes.ts): provider POST → route → `inbound.received` delivered to a
 * local receiver, in messages/s and p50/p99 latency per message.
 *
 *   npm run bench:inbound            (embedded PostgreSQL in a temp dir, or BENCH_DATABASE_URL)
 *   BENCH_ROUTE_MESSAGES=2000 BENCH_ROUTE_CONCURRENCY=20  (the route-and-webhook run)
 *   BENCH_PARTS=ingress,drain,routes                      (run only some parts)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../../src/config/index.js';
import { createReplyToken } from '../../src/inbound/reply-token.js';
import { newId } from '../../src/lib/ids.js';
import { QueueRegistry } from '../../src/jobs/registry.js';
import { ensureQueues, startWorkers } from '../../src/jobs/workers.js';
import { createBossQueue } from '../../src/jobs/boss-queue.js';
import { systemClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createBoss } from '../../src/main/boss.js';
import { createInboundFeature } from '../../src/main/features/inbound.js';
import { createPool } from '../../src/storage/db.js';
import { createDatabase, jobSql } from '../../src/storage/sql.js';
import { migrate } from '../../src/storage/migrator.js';
import { encodeMultipart } from '../../scripts/providers/sign.js';
import { benchPostgres } from '../support/postgres.js';
import { runRouteBench } from './routes.js';

const KEY = 'bench-mailgun-key';
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const DOMAIN = 'in.bench.test';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DRAIN = Number(process.env.BENCH_DRAIN ?? 10_000);
const ROUTE_MESSAGES = Number(process.env.BENCH_ROUTE_MESSAGES ?? 2000);
const ROUTE_CONCURRENCY = Number(process.env.BENCH_ROUTE_CONCURRENCY ?? 20);

function message(i: number, messageId: string, to: string): Buffer {
  const filler = 'Worked on the inbound engine, wrote tests, reviewed two pull requests. '
    .repeat(50)
    .slice(0, 3600);
  return Buffer.from(
    `From: Ana <ana@example.org>\r\nTo: ${to}\r\nSubject: Re: What did you get done today?\r\nMessage-ID: <${messageId}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${filler}\r\n\r\nOn Tue, Postroom wrote:\r\n> What did you get done today?\r\n`,
  );
}

const replyToken = createReplyToken(SECRET, {
  kind: 'message',
  id: newId(),
  email: 'ana@example.org',
  exp: new Date(Date.now() + 86400_000),
});
const replyAddress = `reply+${replyToken}@${DOMAIN}`;
const freshId = (i: number) => `bench-${i}-${randomBytes(6).toString('hex')}@example.org`;

/** A freshly signed Mailgun POST of message i to `to` (a new token each: nothing is deduped). */
function signedTo(i: number, to: string) {
  const messageId = freshId(i);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const token = randomBytes(25).toString('hex');
  const form = encodeMultipart([
    ['recipient', to],
    ['sender', 'ana@example.org'],
    ['timestamp', timestamp],
    ['token', token],
    [
      'signature',
      createHmac('sha256', KEY)
        .update(timestamp + token)
        .digest('hex'),
    ],
    ['body-mime', message(i, messageId, to)],
  ]);
  return { ...form, messageId };
}

let counter = 0;
const signedRequest = () => signedTo(counter++, replyAddress);

async function startServer(
  mode: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'server.ts'), mode],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /READY (\d+)/.exec(d.toString());
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
  });
  return { child, port };
}

interface Row {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(name: string, port: number): Promise<Row> {
  const run = (duration: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: CONNECTIONS,
      duration,
      requests: [
        {
          method: 'POST',
          path: '/inbound/mailgun/mime',
          setupRequest: (req) => {
            const { body, contentType } = signedRequest();
            return {
              ...req,
              body: body as unknown as string,
              headers: { 'content-type': contentType },
            };
          },
        },
      ],
    });
  await run(2); // warm-up: JIT, pool connections, prepared plans
  const r = await run(DURATION);
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

type DbUrl = (name: string) => string;
const ENV = { MAILGUN_SIGNING_KEYS: KEY, SECRET_KEY: SECRET, INBOUND_DOMAIN: DOMAIN };
const PARTS = new Set((process.env.BENCH_PARTS ?? 'ingress,drain,routes').split(','));

/** A fresh database per part: the baseline's one table, or Postroom's migrations. */
async function databases(url: string): Promise<DbUrl> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dbUrl = (name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
  for (const name of ['bench_a', 'bench_b', 'bench_drain', 'bench_routes']) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  }
  await admin.end();
  const a = new pg.Client({ connectionString: dbUrl('bench_a') });
  await a.connect();
  await a.query(
    'CREATE TABLE bench_baseline (id uuid PRIMARY KEY, token text, raw text, received_at timestamptz NOT NULL DEFAULT now())',
  );
  await a.end();
  for (const name of ['bench_b', 'bench_drain', 'bench_routes']) {
    const pool = new pg.Pool({ connectionString: dbUrl(name), max: 2 });
    await migrate(pool, join(import.meta.dirname, '../../migrations'));
    await pool.end();
  }
  return dbUrl;
}

/** (a) and (b): the same signed POSTs against the baseline and Postroom's ingress. */
async function ingress(dbUrl: DbUrl): Promise<void> {
  const rows: Row[] = [];
  for (const [name, mode, db] of [
    ['(a) express + multer + 1 INSERT', 'baseline', 'bench_a'],
    ['(b) Postroom ingress', 'postroom', 'bench_b'],
  ] as const) {
    const { child, port } = await startServer(mode, { ...ENV, DATABASE_URL: dbUrl(db) });
    rows.push(await load(name, port));
    child.kill('SIGTERM');
  }
  console.log(
    `\nInbound webhook, ${CONNECTIONS} connections × ${DURATION} s, ~4 KB Mailgun-signed body-mime\n`,
  );
  console.log('| scenario | req/s | p50 ms | p99 ms | non-2xx | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors} |`,
    );
  const ratio = rows[1]!.rps / rows[0]!.rps;
  console.log(
    `\nb/a = ${ratio.toFixed(2)} (target ≥ 0.6); p99 (b) = ${rows[1]!.p99} ms (target < 100 ms)`,
  );
  const check = new pg.Client({ connectionString: dbUrl('bench_b') });
  await check.connect();
  const stored = (await check.query('SELECT count(*)::int AS n FROM inbound_emails')).rows[0]
    .n as number;
  const jobs = (
    await check.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'inbound.process'`)
  ).rows[0].n as number;
  await check.end();
  console.log(`(b) stored ${stored} rows with ${jobs} processing jobs`);
}

/** Fills DRAIN messages through the receive service, then lets the real workers run. */
async function drain(dbUrl: DbUrl): Promise<void> {
  const config = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: dbUrl('bench_drain'),
    LOG_LEVEL: 'silent',
    ...ENV,
  });
  const pool = createPool(dbUrl('bench_drain'), 10);
  const db = createDatabase(pool);
  const boss = createBoss(
    { url: dbUrl('bench_drain'), schema: config.pgBossSchema, role: 'worker', max: 10 },
    silentLogger,
  );
  const registry = new QueueRegistry();
  const queue = createBossQueue(boss, registry, jobSql);
  const feature = createInboundFeature(
    { config, db, queue, log: silentLogger, clock: systemClock, secretKey: SECRET },
    { outbound: null },
  );
  registry.add(...(feature.queues ?? []));
  await boss.start();
  await ensureQueues(boss, registry);
  const fillStart = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < DRAIN) {
        const i = next++;
        await feature.services.receive.receive({
          provider: 'relay',
          providerEventId: null,
          raw: message(i, freshId(i), replyAddress),
          envelope: { from: 'ana@example.org', to: [replyAddress] },
          verdicts: {},
          extras: {},
        });
      }
    }),
  );
  const fillSeconds = (Date.now() - fillStart) / 1000;
  const started = Date.now();
  await startWorkers(boss, registry, silentLogger);
  let done = 0;
  while (done < DRAIN) {
    await new Promise((r) => setTimeout(r, 200));
    done = (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_emails WHERE status IN ('processed', 'ignored')`,
      )
    ).rows[0]!.n;
  }
  const seconds = (Date.now() - started) / 1000;
  const statuses = (
    await pool.query(`SELECT status, count(*)::int AS n FROM inbound_emails GROUP BY status`)
  ).rows;
  console.log(
    `\nDrain: ${DRAIN} messages filled in ${fillSeconds.toFixed(1)} s (${Math.round(DRAIN / fillSeconds)}/s through receive), processed in ${seconds.toFixed(1)} s = ${Math.round(DRAIN / seconds)} messages/s`,
  );
  console.log(`statuses: ${statuses.map((s) => `${s.status}=${s.n}`).join(', ')}`);
  await boss.stop({ graceful: true, timeout: 5000, close: true });
  await pool.end();
}

/** (c) The route-and-webhook path, end to end: throughput, then latency below saturation. */
async function routePath(dbUrl: DbUrl): Promise<void> {
  const r = await runRouteBench(
    {
      domain: DOMAIN,
      signed: signedTo,
      startServer: async (receiverUrl) => {
        const { child, port } = await startServer('routes', {
          ...ENV,
          DATABASE_URL: dbUrl('bench_routes'),
          RECEIVER_URL: receiverUrl,
        });
        return { port, stop: () => child.kill('SIGTERM') };
      },
    },
    { messages: ROUTE_MESSAGES, concurrency: ROUTE_CONCURRENCY },
  );
  console.log(
    `\nRoute and webhook: ${r.throughput.delivered}/${r.throughput.messages} inbound.received delivered in ${r.throughput.seconds.toFixed(1)} s = ${Math.round(r.throughput.perSecond)} messages/s (${ROUTE_CONCURRENCY} POSTs in flight); at ${Math.round(r.paced.rate)} messages/s (half of that): POST → delivered p50 ${r.paced.p50} ms, p99 ${r.paced.p99} ms over ${r.paced.delivered} messages`,
  );
}

async function main() {
  const pg = await benchPostgres(process.env.BENCH_DATABASE_URL);
  const dbUrl = await databases(pg.url);
  if (PARTS.has('ingress')) await ingress(dbUrl);
  if (PARTS.has('drain')) await drain(dbUrl);
  if (PARTS.has('routes')) await routePath(dbUrl);
  await pg.stop();
}

await main();
process.exit(0);
