/**
 * The `postroom` process as an operator meets it: real child processes, real exit codes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { makeTempDir } from '../support/temp-dir.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { findRunningServer } from '../../src/storage/embedded-server.js';

const CLI = join(import.meta.dirname, '../../src/main/cli.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  env: Record<string, string>,
  until?: (out: string) => boolean,
  signal?: NodeJS.Signals,
  toGroup = false,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a signal can go to the group as a terminal's Ctrl-C does.
      detached: toGroup,
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const check = () => {
      if (!signalled && until && signal && until(stdout + stderr)) {
        signalled = true;
        if (toGroup) process.kill(-child.pid!, signal);
        else child.kill(signal);
      }
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), check()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), check()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Like expect(run.code).toBe(code), but a failure shows what the process printed. */
function expectExit(run: Run, code: number): void {
  if (run.code !== code) {
    throw new Error(
      `exit code ${run.code}, expected ${code}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
    );
  }
}

describe('postroom CLI', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  test('a bad variable stops start-up with a message naming it', async () => {
    const run = await runCli(['start'], { PORT: 'abc' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/PORT: .*got "abc"/);
  });

  test('a port in use is a one-line error and exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(['web'], {
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
      });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        `postroom: Port ${port} is already in use (set PORT to another one)`,
      );
    } finally {
      blocker.close();
    }
  });

  test('an unreachable DATABASE_URL is retried for a bounded time, then exits non-zero', async () => {
    const run = await runCli(['web'], {
      DATABASE_URL: 'postgres://postgres:postgres@127.0.0.1:9/postroom',
      DB_CONNECT_TIMEOUT_SECONDS: '2',
      LOG_LEVEL: 'warn',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Database unreachable after 2 s \(\d+ attempts\)/);
    expect(run.stdout).toMatch(/database not reachable yet, retrying/);
  });

  test('an embedded data dir from another PostgreSQL major version gets a clear error', async () => {
    const dir = join(makeTempDir('postroom-pgver-'), 'pg');
    mkdirSync(dir);
    writeFileSync(join(dir, 'PG_VERSION'), '15\n');
    const run = await runCli(['migrate'], { PG_DATA_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /created by PostgreSQL 15, but the embedded server is PostgreSQL 18/,
    );
    expect(run.stderr).toMatch(/PG_DATA_DIR/);
  });

  test('migrate reports what it did', async () => {
    const run = await runCli(['migrate'], { DATABASE_URL: db.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/migrations: 0 applied, \d+ already in place/);
  });

  test('SIGTERM drains and exits 0', async () => {
    const run = await runCli(
      ['start'],
      { DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1', SECRET_KEY: 'k'.repeat(40) },
      (out) => out.includes('postroom ready'),
      'SIGTERM',
    );
    expectExit(run, 0);
    expect(run.stdout).toMatch(/"msg":"shutting down"/);
    expect(run.stdout).toMatch(/"msg":"stopped"/);
  });

  test('Ctrl-C on the embedded default: the whole process group gets SIGINT, we drain, postgres stops last', async () => {
    const dir = join(makeTempDir('postroom-ctrlc-'), 'pg');
    const run = await runCli(
      ['start'],
      { PG_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' },
      (out) => out.includes('postroom ready'),
      'SIGINT',
      true,
    );
    expectExit(run, 0);
    expect(run.stdout).toMatch(
      /embedded PostgreSQL started: postgres:\/\/postgres:postgres@127\.0\.0\.1:\d+\/postroom/,
    );
    expect(run.stdout).toMatch(/"msg":"stopped"/);
    expect(run.stdout).not.toMatch(/signal during start-up/);
    expect(findRunningServer(dir)).toBeUndefined();
  });

  test('an unknown command prints the usage', async () => {
    const run = await runCli(['frobnicate'], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command "frobnicate"/);
    expect(run.stderr).toMatch(/Usage: postroom/);
  });
});
