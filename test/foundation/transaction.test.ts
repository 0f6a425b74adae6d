/**
 * A transaction whose connection the server ends between two statements (a restart, an outage,
 * an operator's pg_terminate_backend) fails that transaction and nothing else: the process keeps
 * running and the pool hands out a fresh connection. Before, the client's unheard 'error' event
 * ended `postroom web` at the start of a database outage (npm run chaos, scenario 3).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createDatabase, one } from '../../src/storage/sql.js';
import { createEmptyDatabase } from '../support/db.js';

test('a connection ended mid-transaction rejects that transaction; the pool goes on', async () => {
  const database = await createEmptyDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 1 });
  pool.on('error', () => {});
  const killer = new pg.Client({ connectionString: database.url });
  await killer.connect();
  try {
    const db = createDatabase(pool);
    const tx = db.transaction(async (ex) => {
      const me = await one<{ pid: number }>(ex, 'SELECT pg_backend_pid() AS pid');
      await killer.query('SELECT pg_terminate_backend($1)', [me!.pid]);
      // The server's FATAL arrives while no statement of ours is running.
      await sleep(300);
      await one(ex, 'SELECT 1');
    });
    await expect(tx).rejects.toThrow();
    expect(await one(db, 'SELECT 1 AS one')).toEqual({ one: 1 });
  } finally {
    await killer.end();
    await pool.end();
    await database.drop();
  }
});
