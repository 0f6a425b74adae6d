import { z } from 'zod';
import {
  boolWithDefault,
  intWithDefault,
  optionalString,
  stringWithDefault,
  urlString,
  type Env,
} from './env.js';

const schema = z.object({
  NODE_ENV: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['development', 'production', 'test']).default('development'),
  ),
  DATABASE_URL: optionalString().pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  PG_DATA_DIR: stringWithDefault('./.data/pg'),
  PG_PORT: intWithDefault(0, 0, 65535),
  PG_POOL_MAX: intWithDefault(10, 1, 500),
  DB_CONNECT_TIMEOUT_SECONDS: intWithDefault(30, 1, 3600),
  PORT: intWithDefault(3000, 0, 65535),
  HOST: stringWithDefault('0.0.0.0'),
  PUBLIC_URL: optionalString().pipe(urlString().optional()),
  SECRET_KEY: optionalString().pipe(
    z.string().min(32, 'must be at least 32 characters').optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_FORMAT: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['auto', 'json', 'pretty']).default('auto'),
  ),
  SHUTDOWN_TIMEOUT_MS: intWithDefault(10000, 0, 600000),
  PGBOSS_SCHEMA: stringWithDefault('pgboss').pipe(
    z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier'),
  ),
  WORKER_SELF_TEST: boolWithDefault(true),
});

export interface CoreConfig {
  env: 'development' | 'production' | 'test';
  database: {
    /** Unset means: start (or reuse) the embedded PostgreSQL in `dataDir`. */
    url: string | undefined;
    dataDir: string;
    /** 0 means: pick a free port. */
    embeddedPort: number;
    poolMax: number;
    connectTimeoutSeconds: number;
  };
  http: { port: number; host: string; publicUrl: string };
  /** Unset is allowed only for the embedded default; main/ then keeps one in the data dir. */
  secretKey: string | undefined;
  log: { level: string; format: 'auto' | 'json' | 'pretty' };
  shutdownTimeoutMs: number;
  pgBossSchema: string;
  workerSelfTest: boolean;
}

export const coreSchema = schema;

export function toCoreConfig(v: z.infer<typeof schema>): CoreConfig {
  return {
    env: v.NODE_ENV,
    database: {
      url: v.DATABASE_URL,
      dataDir: v.PG_DATA_DIR,
      embeddedPort: v.PG_PORT,
      poolMax: v.PG_POOL_MAX,
      connectTimeoutSeconds: v.DB_CONNECT_TIMEOUT_SECONDS,
    },
    http: {
      port: v.PORT,
      host: v.HOST,
      publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    },
    secretKey: v.SECRET_KEY,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    pgBossSchema: v.PGBOSS_SCHEMA,
    workerSelfTest: v.WORKER_SELF_TEST,
  };
}

/** Cross-field rules that a per-variable schema cannot express. */
export function checkCore(c: CoreConfig, _env: Env, problems: string[]): void {
  if (c.database.url && !c.secretKey && c.env === 'production') {
    problems.push(
      'SECRET_KEY: required in production with an external DATABASE_URL (it is not set); generate one with `openssl rand -hex 32`',
    );
  }
}
