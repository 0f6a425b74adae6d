/**
 * Starts the whole app (web and worker in one process) against a fresh test database on an
 * ephemeral port, exactly as `postroom start` wires it, with config taken from `env`.
 */
import { loadConfig } from '../../src/config/index.js';
import type { Clock } from '../../src/lib/clock.js';
import { createLogger, silentLogger, type Logger } from '../../src/lib/logger.js';
import { PortInUseError, startProcess, type RunningProcess } from '../../src/main/runtime.js';
import type { Container, InboundAdapters } from '../../src/main/container.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { freePort } from './free-port.js';

export interface TestApp {
  baseUrl: string;
  port: number;
  db: TestDatabase;
  container: Container;
  process: RunningProcess;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Config over the test defaults. A function gets a port chosen ahead of the listen, for apps
   * that must know their PUBLIC_URL first; it sets PORT itself.
   */
  env?: Record<string, string> | ((port: number) => Record<string, string>);
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
  let proc: RunningProcess;
  try {
    proc = await startOnAPort(db, options);
  } catch (err) {
    if (!options.db) await db.close();
    throw err;
  }
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

/**
 * A port probed free can be taken before the app listens on it (another worker's outgoing
 * connection gets it from the same ephemeral range), so a chosen port is tried a few times.
 */
async function startOnAPort(db: TestDatabase, options: TestAppOptions): Promise<RunningProcess> {
  const { env } = options;
  for (let attempt = 1; ; attempt++) {
    const extra = typeof env === 'function' ? env(await freePort()) : env;
    try {
      return await startWithEnv(db, options, extra);
    } catch (err) {
      if (typeof env !== 'function' || !(err instanceof PortInUseError) || attempt === 5) throw err;
    }
  }
}

function startWithEnv(
  db: TestDatabase,
  options: TestAppOptions,
  env: Record<string, string> | undefined,
): Promise<RunningProcess> {
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
    ...env,
  });
  const log =
    options.log ??
    (config.log.level === 'silent'
      ? silentLogger
      : createLogger({ level: config.log.level, pretty: false, fd: 2 }));
  return startProcess(
    config,
    options.roles ?? { web: true, worker: true },
    log,
    options.clock,
    options.inboundAdapters,
  );
}

/** An admin API key on a running test app, for tests that call /v1 over HTTP. */
export async function adminKey(app: TestApp, name = 'test'): Promise<string> {
  const outbound = app.container.features.find((f) => f.name === 'outbound') as unknown as {
    services: { all: { apiKeys: { create(i: object): Promise<{ key: string }> } } };
  };
  return (await outbound.services.all.apiKeys.create({ name, scopes: ['admin'] })).key;
}
