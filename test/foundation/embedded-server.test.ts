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
});
