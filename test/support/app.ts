/**
 * Starts the whole app (web and worker in one process) against a fresh test database on an
 * ephemeral port, exactly as `postroom start` wires it, with config taken from `env`.
 */
import { loadConfig } from '../../src/config/index.js';
import type { Clock } from '../../src/lib/clock.js';
import { createLogger, silentLogger, type Logger } from '../../src/lib/logger.js';
import { startProcess, type RunningProcess } from '../../src/main/runtime.js';
import type { Container, InboundAdapters } from '../../src/main/container.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  baseUrl: string;
  port: number;
  db: TestDatabase;
  container: Container;
  process: RunningProcess;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  clock?: Clock;
  roles?: { web: boolean; worker: boolean };
  /** Reuse a database (for example to restart the app on the same data). */
  db?: TestDatabase;
  log?: Logger;
  /** SNS certificate fetch, SNS confirmation GET and S3 fetch, instead of reaching AWS. */
  inboundAdapters?: InboundAdapters;
}

export const TEST_SECRET = 'test-secret-key-0123456789abcdef0123456789abcdef';

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'silent',
    SHUTDOWN_TIMEOUT_MS: '3000',
    WORKER_SELF_TEST: 'false',
    PG_POOL_MAX: '5',
    ...options.env,
  });
  const log =
    options.log ??
    (config.log.level === 'silent'
      ? silentLogger
      : createLogger({ level: config.log.level, pretty: false, fd: 2 }));
  const proc = await startProcess(
    config,
    options.roles ?? { web: true, worker: true },
    log,
    options.clock,
    options.inboundAdapters,
  );
  const port = proc.port ?? 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    db,
    container: proc.container,
    process: proc,
    async stop() {
      await proc.stop();
      if (!options.db) await db.close();
    },
  };
}

/** An admin API key on a running test app, for tests that call /v1 over HTTP. */
export async function adminKey(app: TestApp, name = 'test'): Promise<string> {
  const outbound = app.container.features.find((f) => f.name === 'outbound') as unknown as {
    services: { all: { apiKeys: { create(i: object): Promise<{ key: string }> } } };
  };
  return (await outbound.services.all.apiKeys.create({ name, scopes: ['admin'] })).key;
}
