/**
 * The composition root: the only place that builds infrastructure (pool, pg-boss, transports)
 * and hands it to features. Features are created in dependency order; a later feature gets the
 * services of the earlier ones.
 */
import type { PgBoss } from 'pg-boss';
import type { Express } from 'express';
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import { createHttpApp } from '../http/app.js';
import { createBossQueue } from '../jobs/boss-queue.js';
import { QueueRegistry } from '../jobs/registry.js';
import { ensureQueues, ensureSchedules, startWorkers } from '../jobs/workers.js';
import type { Database, JobQueue } from '../services/ports.js';
import type { Telemetry } from '../services/telemetry.js';
import { COMMITS_IN_FLIGHT } from '../services/outbound/index.js';
import { createGenericPlanPool, createPool, waitForDatabase, type Pool } from '../storage/db.js';
import { createDatabase, jobSql, pingDatabase } from '../storage/sql.js';
import { migrate } from '../storage/migrator.js';
import { createBoss } from './boss.js';
import { resolveDatabase, type ResolvedDatabase } from './database.js';
import type { Feature, FeatureContext } from './feature.js';
import { createCheckinsFeature } from './features/checkins.js';
import { createSystemFeature } from './features/system.js';
import { createInboundFeature, type InboundDeps } from './features/inbound.js';
import { createOutboundFeature } from './features/outbound.js';
import { createDashboardFeature } from './features/dashboard.js';
import { createOperationsFeature, type OperationsFeature } from './features/operations.js';
import { MIGRATIONS_DIR } from './paths.js';
import { resolveSecretKey } from './secret.js';

export interface Roles {
  web: boolean;
  worker: boolean;
}

export interface ContainerOptions {
  roles: Roles;
  log: Logger;
  clock?: Clock;
  /** Apply migrations before starting (true for start/web/worker; the migrate command does its own). */
  migrate?: boolean;
  /** The parts that reach AWS (SNS certificates and confirmation, S3), replaced in tests. */
  inboundAdapters?: InboundAdapters;
}

export type InboundAdapters = Pick<InboundDeps, 'fetchCert' | 'snsGet' | 'fetchS3'>;

export interface Container {
  config: Readonly<Config>;
  log: Logger;
  clock: Clock;
  database: ResolvedDatabase;
  pool: Pool;
  db: Database;
  boss: PgBoss;
  queue: JobQueue;
  registry: QueueRegistry;
  features: Feature[];
  app: Express;
  secretKey: string;
  /** Metrics, the job monitor, the process heartbeat (main/features/operations.ts). */
  operations: OperationsFeature;
  /** Starts pg-boss, creates queues, and (for workers) schedules and workers. */
  start(): Promise<void>;
  /** Stops pg-boss (draining in-flight jobs), features, the pool, and an owned embedded server. */
  stop(): Promise<void>;
}

/** Builds every feature in dependency order. Features add their line here. */
function buildFeatures(
  ctx: FeatureContext,
  operations: OperationsFeature,
  adapters: InboundAdapters = {},
): Feature[] {
  const features: Feature[] = [operations, createSystemFeature()];
  const outbound = createOutboundFeature(ctx);
  features.push(outbound);
  const inbound = createInboundFeature(ctx, {
    ...adapters,
    outbound: outbound.services,
    webhooks: outbound.services.webhooks,
    apiKeyAuth: outbound.services.requireScope,
  });
  features.push(inbound);
  const checkins = createCheckinsFeature(ctx, {
    outbound: outbound.services,
    inbound: inbound.services,
  });
  features.push(checkins);
  // The dashboard mounts at the site root, so it goes last: its guards are per route.
  features.push(
    createDashboardFeature(ctx, {
      outbound: outbound.services.all,
      inbound: inbound.services,
      checkins: { admin: checkins.services.admin, member: checkins.memberPage },
      operations: operations.services,
    }),
  );
  return features;
}

export async function createContainer(
  config: Readonly<Config>,
  options: ContainerOptions,
): Promise<Container> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const { database, pool, commitPool, release } = await openDatabase(config, options);
  const db = createDatabase(pool);
  const commitDb = createDatabase(commitPool);
  const secretKey = resolveSecretKey(config);
  const role = options.roles.worker ? 'worker' : 'web';
  const boss = createBoss({ url: database.url, schema: config.pgBossSchema, role }, log);
  const registry = new QueueRegistry();
  const queue = createBossQueue(boss, registry, jobSql);
  const operations = createOperationsFeature(
    { config, db, log, clock, secretKey },
    { boss, registry },
  );
  const { telemetry } = operations;
  const features = buildFeatures(
    { config, db, commitDb, queue, log, clock, secretKey, telemetry },
    operations,
    options.inboundAdapters,
  );
  for (const f of features) {
    registry.add(...(f.queues ?? []));
    registry.schedule(...(f.schedules ?? []));
  }
  const app = createHttpApp({
    log,
    ...(operations.observe ? { observe: operations.observe } : {}),
    readiness: [
      { name: 'database', check: () => pingDatabase(db) },
      { name: 'queue', check: () => checkQueueInstalled(boss) },
    ],
    mount: (a) => {
      for (const f of features) f.mount?.(a);
    },
  });
  const parts = { config, log, clock, database, pool, db, boss, queue, registry, features, app };
  return {
    ...parts,
    secretKey,
    operations,
    ...lifecycle({ ...parts, telemetry }, options.roles, release),
  };
}

/** The pool on a reachable, migrated database; on failure nothing is left open. */
async function openDatabase(config: Readonly<Config>, options: ContainerOptions) {
  const { log } = options;
  const database = await resolveDatabase(config, log);
  const pool = createPool(database.url, config.database.poolMax);
  // Connects only once the send worker commits, so a web process never opens it.
  const commitPool = createGenericPlanPool(database.url, COMMITS_IN_FLIGHT, 'postroom-commit');
  const release = async () => {
    await pool.end().catch(() => {});
    await commitPool.end().catch(() => {});
    await database.embedded?.stop();
  };
  try {
    await waitForDatabase(pool, config.database.connectTimeoutSeconds, (attempt, err, delayMs) =>
      log.warn({ attempt, delayMs, err: err.message }, 'database not reachable yet, retrying'),
    );
    if (options.migrate !== false) await migrate(pool, MIGRATIONS_DIR, (m) => log.info(m));
  } catch (err) {
    await release();
    throw err;
  }
  return { database, pool, commitPool, release };
}

async function checkQueueInstalled(boss: PgBoss): Promise<void> {
  if (!(await boss.isInstalled())) throw new Error('pg-boss schema missing');
}

type LifecycleParts = Pick<Container, 'config' | 'log' | 'boss' | 'registry' | 'features'> & {
  telemetry: Telemetry;
};

/**
 * start: pg-boss, queues, and for workers the schedules and workers. stop: drain pg-boss first,
 * then close features in reverse order, then the pool and an embedded server we own.
 */
function lifecycle(
  { config, log, boss, registry, features, telemetry }: LifecycleParts,
  roles: Roles,
  release: () => Promise<void>,
): Pick<Container, 'start' | 'stop'> {
  let started = false;
  return {
    async start() {
      await boss.start();
      started = true;
      await ensureQueues(boss, registry);
      if (roles.worker) {
        await ensureSchedules(boss, registry);
        await startWorkers(boss, registry, log, telemetry);
      }
      if (roles.web || roles.worker) for (const f of features) await f.start?.(roles);
    },
    async stop() {
      if (started) {
        await boss
          .stop({ graceful: true, timeout: config.shutdownTimeoutMs, close: true })
          .catch((err: unknown) => log.warn({ err }, 'pg-boss stop failed'));
        started = false;
      }
      for (const f of [...features].reverse()) {
        await f
          .close?.()
          .catch((err: unknown) => log.warn({ err, feature: f.name }, 'feature close failed'));
      }
      await release();
    },
  };
}
