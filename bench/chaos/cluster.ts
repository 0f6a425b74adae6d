/**
 * The fault suite's moving parts, all real processes: one embedded PostgreSQL we can stop and
 * start again on the same data dir and port, `postroom web` and `postroom worker` processes
 * (the CLI as production runs it) that we SIGKILL and restart, and an SMTP sink in its own
 * process (sink.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/storage/embedded-server.js';
import { makeTempDir } from '../../test/support/temp-dir.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'main', 'cli.ts');
export const SECRET = 'chaos-secret-0123456789abcdef0123456789abcdef';

/** A PostgreSQL that stays on one data dir and port across stop() and start(). */
export interface Database {
  url(db: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A port below the kernel's ephemeral range (32768+) and away from the embedded server's
 * preferred ones: while PostgreSQL is stopped for the outage, neither a client socket nor
 * another test run's embedded server should take it, or it could not come back on it.
 */
async function quietPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((done) => {
      const srv = createServer();
      srv.once('error', () => done(false));
      srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 20000-29999');
}

export async function startDatabase(): Promise<Database> {
  const dataDir = join(makeTempDir('postroom-chaos-'), 'pg');
  const port = await quietPort();
  let server: EmbeddedServer = await startEmbeddedServer({ dataDir, port, database: 'postgres' });
  const url = (db: string) => {
    const u = new URL(server.url);
    u.pathname = `/${db}`;
    return u.toString();
  };
  return {
    url,
    stop: () => server.stop(),
    async start() {
      server = await startEmbeddedServer({ dataDir, port, database: 'postgres' });
    },
    async close() {
      await server.stop();
    },
  };
}

export async function createDatabase(db: Database, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: db.url('postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return db.url(name);
}

/** A `postroom web|worker` process; `exited` resolves with its exit code or signal. */
export interface Proc {
  role: 'web' | 'worker';
  child: ChildProcess;
  port: number | null;
  exited: Promise<string>;
  /** The last lines it wrote (stderr and stdout): why it died, if it did. */
  tail(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export type Env = Record<string, string>;

/** Starts the CLI with `args`; resolves once it logs that it is ready. */
export async function startRole(role: 'web' | 'worker', env: Env, port = 0): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, role], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SECRET_KEY: SECRET,
      WORKER_SELF_TEST: 'false',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      HOST: '127.0.0.1',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer | string) => (tail = (tail + String(chunk)).slice(-4000));
  child.stderr!.on('data', keep);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const ready = await new Promise<number | null>((resolve, reject) => {
    let buffer = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffer += chunk;
      const m = /postroom (?:ready on http:\/\/localhost:(\d+)|worker ready)/.exec(buffer);
      if (m) {
        buffer = '';
        resolve(m[1] ? Number(m[1]) : null);
      } else if (buffer.length > 1_000_000) buffer = buffer.slice(-10_000);
    });
    void exited.then((how) =>
      reject(new Error(`postroom ${role} exited during start-up (${how})`)),
    );
  });
  child.stdout!.on('data', keep);
  return {
    role,
    child,
    port: ready,
    exited,
    tail: () => tail,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      await exited;
    },
  };
}

/** `postroom keys create`, as an operator runs it; returns the key. */
export function createApiKey(env: Env): string {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', CLI, 'keys', 'create', '--name', 'chaos', '--scopes', 'send,read,admin'],
    {
      cwd: ROOT,
      env: { ...process.env, SECRET_KEY: SECRET, LOG_LEVEL: 'error', ...env },
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`keys create failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** `postroom migrate` once, so processes started together do not race for the lock at start. */
export function migrate(env: Env): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, SECRET_KEY: SECRET, LOG_LEVEL: 'error', ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`migrate failed: ${r.stderr}`);
}
