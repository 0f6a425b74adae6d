/**
 * The servers the inbound benchmark runs, one per child process so the load generator does not
 * share their event loop:
 *   baseline  express + multer().any() + one INSERT (perf.md's 3.0k req/s row)
 *   postroom  the real inbound feature: Mailgun HMAC check, receive transaction (nonce, row,
 *             raw bytes, pg-boss job), exactly as `postroom web` serves it
 *   routes    web and worker in one process, outbound and inbound wired as the container wires
 *             them, with one route (`*@INBOUND_DOMAIN` → webhook to RECEIVER_URL): the whole path
 *             from provider POST to a delivered `inbound.received`
 * Prints "READY <port>" when listening. DATABASE_URL and MAILGUN_SIGNING_KEYS come from the runner.
 */
import express from 'express';
import multer from 'multer';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/index.js';
import { createHttpApp } from '../../src/http/app.js';
import { createBossQueue } from '../../src/jobs/boss-queue.js';
import { QueueRegistry } from '../../src/jobs/registry.js';
import { ensureQueues, startWorkers } from '../../src/jobs/workers.js';
import { systemClock } from '../../src/lib/clock.js';
import { silentLogger } from '../../src/lib/logger.js';
import { createBoss } from '../../src/main/boss.js';
import { createInboundFeature } from '../../src/main/features/inbound.js';
import { createOutboundFeature } from '../../src/main/features/outbound.js';
import { createPool } from '../../src/storage/db.js';
import { createDatabase, jobSql } from '../../src/storage/sql.js';

const mode = process.argv[2];
const url = process.env.DATABASE_URL!;

async function baseline() {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const app = express();
  const upload = multer().any();
  app.post('/inbound/mailgun/mime', upload, async (req, res) => {
    const body = req.body as Record<string, string>;
    await pool.query('INSERT INTO bench_baseline (id, token, raw) VALUES ($1, $2, $3)', [
      randomUUID(),
      body.token,
      body['body-mime'],
    ]);
    res.status(200).json({ status: 'accepted' });
  });
  return app;
}

async function postroom() {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
  } as Record<string, string>);
  const pool = createPool(url, 10);
  const db = createDatabase(pool);
  const boss = createBoss({ url, schema: config.pgBossSchema, role: 'web', max: 4 }, silentLogger);
  const registry = new QueueRegistry();
  const queue = createBossQueue(boss, registry, jobSql);
  const feature = createInboundFeature(
    { config, db, queue, log: silentLogger, clock: systemClock, secretKey: config.secretKey! },
    { outbound: null },
  );
  registry.add(...(feature.queues ?? []));
  await boss.start();
  await ensureQueues(boss, registry);
  return createHttpApp({ log: silentLogger, readiness: [], mount: (a) => feature.mount?.(a) });
}

async function routes() {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  } as Record<string, string>);
  const pool = createPool(url, 10);
  const db = createDatabase(pool);
  const boss = createBoss(
    { url, schema: config.pgBossSchema, role: 'worker', max: 6 },
    silentLogger,
  );
  const registry = new QueueRegistry();
  const queue = createBossQueue(boss, registry, jobSql);
  const ctx = {
    config,
    db,
    queue,
    log: silentLogger,
    clock: systemClock,
    secretKey: config.secretKey!,
  };
  const outbound = createOutboundFeature(ctx);
  const inbound = createInboundFeature(ctx, {
    outbound: outbound.services,
    webhooks: outbound.services.webhooks,
  });
  for (const f of [outbound, inbound]) registry.add(...(f.queues ?? []));
  await boss.start();
  await ensureQueues(boss, registry);
  await startWorkers(boss, registry, silentLogger);
  await inbound.services.routes.create({
    name: 'bench',
    match: { recipient: `*@${config.inbound.domain}` },
    action: { type: 'webhook', url: process.env.RECEIVER_URL },
  });
  return createHttpApp({
    log: silentLogger,
    readiness: [],
    mount: (a) => {
      outbound.mount?.(a);
      inbound.mount?.(a);
    },
  });
}

const app =
  mode === 'baseline' ? await baseline() : mode === 'routes' ? await routes() : await postroom();
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`READY ${(server.address() as AddressInfo).port}\n`);
});
