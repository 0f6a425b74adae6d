/**
 * The outbound and inbound features together, as the container wires them (the real factories,
 * express app, pg-boss workers, Postgres clone, SMTP sink), with the one AWS-facing part (the
 * SNS certificate fetch) injected so SES requests can be signed by the test. It binds its port
 * before start and holds it, so PUBLIC_URL (and every signed URL in a payload) is reachable and
 * no other socket can take the port in between.
 */
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { loadConfig } from '../../../src/config/index.js';
import { createHttpApp } from '../../../src/http/app.js';
import { ensureQueues, startWorkers } from '../../../src/jobs/workers.js';
import { systemClock } from '../../../src/lib/clock.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { createInboundFeature, type InboundFeature } from '../../../src/main/features/inbound.js';
import {
  createOutboundFeature,
  type OutboundFeature,
} from '../../../src/main/features/outbound.js';
import type { CertFetcher } from '../../../src/inbound/providers/sns.js';
import { testQueue } from './queue.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.js';

/** Response bodies are read loosely in tests; each assertion states the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const APP_SECRET = 'apps-test-secret-0123456789abcdef0123456789abcdef';

export interface AppHarness {
  baseUrl: string;
  db: TestDatabase;
  sink: SmtpSink;
  inbound: InboundFeature;
  outbound: OutboundFeature;
  key: string;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }>;
  post(req: { path: string; headers: Record<string, string>; body: Buffer }): Promise<{
    status: number;
    body: Json;
  }>;
  stop(): Promise<void>;
}

async function json(res: Response): Promise<{ status: number; body: Json }> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

function listenOnAnyPort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function startAppHarness(
  env: Record<string, string>,
  deps: { fetchCert?: CertFetcher } = {},
): Promise<AppHarness> {
  const [db, sink, server] = await Promise.all([
    createTestDatabase({ poolMax: 10 }),
    startSmtpSink(),
    listenOnAnyPort(),
  ]);
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    SECRET_KEY: APP_SECRET,
    LOG_LEVEL: 'silent',
    PUBLIC_URL: baseUrl,
    SMTP_URL: sink.url,
    SMTP_IGNORE_TLS: 'true',
    MAIL_FROM: 'Postroom <app@postroom.test>',
    ...env,
  });
  const { boss, registry, queue } = testQueue(db.url, config.pgBossSchema);
  const ctx = {
    config,
    db: db.db,
    queue,
    log: silentLogger,
    clock: systemClock,
    secretKey: APP_SECRET,
  };
  const outbound = createOutboundFeature(ctx);
  const inbound = createInboundFeature(ctx, {
    outbound: outbound.services,
    webhooks: outbound.services.webhooks,
    apiKeyAuth: outbound.services.requireScope,
    ...(deps.fetchCert ? { fetchCert: deps.fetchCert } : {}),
  });
  for (const f of [outbound, inbound]) registry.add(...(f.queues ?? []));
  await boss.start();
  await ensureQueues(boss, registry);
  await startWorkers(boss, registry, silentLogger);
  const app = createHttpApp({
    log: silentLogger,
    readiness: [],
    mount: (a) => {
      outbound.mount?.(a);
      inbound.mount?.(a);
    },
  });
  server.on('request', app);
  const { key } = await outbound.services.apiKeys.create({ name: 'test', scopes: ['admin'] });
  return {
    baseUrl,
    db,
    sink,
    inbound,
    outbound,
    key,
    api: async (method, path, body) =>
      json(
        await fetch(baseUrl + path, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        }),
      ),
    post: async (req) =>
      json(
        await fetch(baseUrl + req.path, { method: 'POST', headers: req.headers, body: req.body }),
      ),
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await boss.stop({ graceful: true, timeout: 3000, close: true }).catch(() => {});
      await outbound.close?.();
      await sink.close();
      await db.close();
    },
  };
}
