/**
 * An inbound-only app for the tests: the real feature factory, express app, pg-boss queue and
 * Postgres (a fresh clone per file), with the AWS-facing parts (certificate fetch, SNS
 * confirmation GET) injected. Jobs are run either by real workers or by calling the process
 * service directly, when a test wants each step on its own.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig } from '../../../src/config/index.js';
import { createHttpApp } from '../../../src/http/app.js';
import { ensureQueues, startWorkers } from '../../../src/jobs/workers.js';
import type { Clock } from '../../../src/lib/clock.js';
import { systemClock } from '../../../src/lib/clock.js';
import { silentLogger } from '../../../src/lib/logger.js';
import {
  createInboundFeature,
  type InboundDeps,
  type InboundFeature,
} from '../../../src/main/features/inbound.js';
import type { OutboundPort } from '../../../src/services/ports.js';
import { testQueue } from './queue.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import type { HttpRequest } from '../../../scripts/providers/sign.js';

export const SECRET = 'inbound-test-secret-0123456789abcdef0123456789';
export const DOMAIN = 'in.postroom.test';

export interface Harness {
  baseUrl: string;
  db: TestDatabase;
  feature: InboundFeature;
  outbound: RecordingOutbound;
  post(req: HttpRequest): Promise<{ status: number; body: Record<string, unknown> }>;
  count(status?: string): Promise<number>;
  /** Runs the processing for every message still `received` (no worker needed). */
  processAll(): Promise<void>;
  startWorkers(): Promise<void>;
  stop(): Promise<void>;
}

/** The outbound port as the inbound-only flows need it: records what it was asked. */
export class RecordingOutbound implements OutboundPort {
  events: Array<{ ref: unknown; event: Record<string, unknown> }> = [];
  sent: Array<Record<string, unknown>> = [];
  known = new Set<string>();
  async recordDeliveryEvent(
    ref: { messageId?: string; providerMessageId?: string },
    event: object,
  ) {
    this.events.push({ ref, event: event as Record<string, unknown> });
    return {
      found: Boolean(
        (ref.messageId && this.known.has(ref.messageId)) ||
        (ref.providerMessageId && this.known.has(ref.providerMessageId)),
      ),
    };
  }
  async sendMessage(input: object) {
    this.sent.push(input as Record<string, unknown>);
    return { id: 'x', status: 'queued' };
  }
}

export async function startHarness(
  env: Record<string, string>,
  deps: Partial<InboundDeps> & { clock?: Clock } = {},
): Promise<Harness> {
  const db = await createTestDatabase({ poolMax: 10 });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    SECRET_KEY: SECRET,
    LOG_LEVEL: 'silent',
    INBOUND_DOMAIN: DOMAIN,
    ...env,
  });
  const { boss, registry, queue } = testQueue(db.url, config.pgBossSchema);
  const outbound = (deps.outbound as RecordingOutbound | undefined) ?? new RecordingOutbound();
  const feature = createInboundFeature(
    {
      config,
      db: db.db,
      queue,
      log: silentLogger,
      clock: deps.clock ?? systemClock,
      secretKey: SECRET,
    },
    { ...deps, outbound },
  );
  registry.add(...(feature.queues ?? []));
  await boss.start();
  await ensureQueues(boss, registry);
  const app = createHttpApp({ log: silentLogger, readiness: [], mount: (a) => feature.mount?.(a) });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let workers = false;
  return {
    baseUrl,
    db,
    feature,
    outbound,
    async post(req) {
      const res = await fetch(baseUrl + req.path, {
        method: 'POST',
        headers: req.headers,
        body: req.body,
      });
      const text = await res.text();
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { text };
      }
      return { status: res.status, body };
    },
    async count(status) {
      const { rows } = await db.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inbound_emails ${status ? 'WHERE status = $1' : ''}`,
        status ? [status] : [],
      );
      return rows[0]!.n;
    },
    async processAll() {
      const { rows } = await db.pool.query<{ id: string }>(
        `SELECT id FROM inbound_emails WHERE status IN ('received', 'failed') ORDER BY id`,
      );
      for (const r of rows) await feature.services.process.process(r.id, { maxAttempts: 3 });
    },
    async startWorkers() {
      workers = true;
      await startWorkers(boss, registry, silentLogger);
    },
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await boss.stop({ graceful: workers, timeout: 2000, close: true }).catch(() => {});
      await db.close();
    },
  };
}

/** Polls until `check` is true (no timing assertions: it only bounds a wait). */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
