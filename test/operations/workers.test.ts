/**
 * The workers page with real processes: two `postroom worker` processes on the database of a
 * web-only app show as two live workers (host, pid, roles, version, heartbeat); one stopped
 * cleanly shows as gone at once, one killed shows as gone after three missed heartbeats.
 */
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { Browser, signInWithStoredToken } from '../dashboard/support.js';

jest.setTimeout(120_000);

const CLI = join(import.meta.dirname, '../../src/main/cli.ts');

let app: TestApp;
let b: Browser;
const children: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: app.db.url,
      SECRET_KEY: TEST_SECRET,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      PROCESS_HEARTBEAT_SECONDS: '1',
      WORKER_SELF_TEST: 'false',
      PG_POOL_MAX: '3',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

/** The rows of the workers page: state, pid and roles of each process. */
async function workersPage() {
  const text = await (await b.request('/workers')).text();
  return [...text.matchAll(/<tr data-state="(\w+)">([\s\S]*?)<\/tr>/g)].map((m) => ({
    state: m[1]!,
    pid: Number(/<td class="num mono">(\d+)<\/td>/.exec(m[2]!)![1]),
    roles: [...m[2]!.matchAll(/<span class="badge">(\w+)<\/span>/g)].map((r) => r[1]!),
    version: /<td class="mono">(\d+\.\d+\.\d+)<\/td>/.exec(m[2]!)?.[1],
  }));
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`never happened: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  app = await startTestApp({
    roles: { web: true, worker: false },
    env: { PROCESS_HEARTBEAT_SECONDS: '1' },
  });
  b = new Browser(app.baseUrl);
  await signInWithStoredToken(app, b, 'ops@example.com');
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await app?.stop();
});

test('a waiting job has an age on the queues page while no worker runs', async () => {
  await app.container.queue.send('system.ping', { note: 'waiting' });
  await new Promise((r) => setTimeout(r, 1100));
  const text = await (await b.request('/queues')).text();
  const row = /<tr data-queue="system\.ping">([\s\S]*?)<\/tr>/.exec(text)![1]!;
  expect(row).toMatch(/<td class="mono">[1-9]\d* s<\/td>/);
  expect(row).toMatch(/data-state="created"><a href="[^"]+">1<\/a>/);
});

test('two worker processes show as two live workers; stopped or killed, they show as gone', async () => {
  const [first, second] = [startWorker(), startWorker()];
  const live = await until(
    workersPage,
    (rows) => rows.filter((r) => r.state === 'alive').length === 3,
  );
  const workers = live.filter((r) => r.roles.includes('worker'));
  expect(workers.map((r) => r.pid).sort()).toEqual([first!.pid, second!.pid].sort());
  expect(workers.every((r) => r.state === 'alive' && r.version === '0.1.0')).toBe(true);
  expect(live.find((r) => r.pid === process.pid)?.roles).toEqual(['web']);

  // A clean stop marks the row stopped: gone at once.
  first!.kill('SIGTERM');
  await new Promise((r) => first!.once('exit', r));
  const afterStop = await workersPage();
  expect(afterStop.find((r) => r.pid === first!.pid)?.state).toBe('gone');

  // A killed process writes nothing: it is gone once three heartbeats are missed.
  second!.kill('SIGKILL');
  const killedAt = Date.now();
  const rows = await until(
    workersPage,
    (r) => r.find((x) => x.pid === second!.pid)?.state === 'gone',
  );
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1500);
  expect(rows.filter((r) => r.state === 'alive').map((r) => r.pid)).toEqual([process.pid]);
  expect(await (await b.request('/workers')).text()).toMatch(
    /<span id="alive-count">1<\/span> alive/,
  );
});
