/**
 * The pg Pool behind the `Database` port, and the bounded connect-with-backoff used at start-up
 * (a database that is still booting in docker-compose is normal; one that never answers is not).
 */
import pg from 'pg';
import type { Database, Executor } from '../services/ports.js';

// Dates stay Dates, but `date` columns are calendar days, not instants: keep them as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint counts fit comfortably in a double for every count we keep.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Pool = pg.Pool;

export function createPool(url: string, max: number, applicationName = 'postroom'): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: applicationName });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

export function createDatabase(pool: pg.Pool): Database {
  return {
    query: (text, values) => pool.query(text, values as unknown[]) as never,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Executor = {
          query: (text, values) => client.query(text, values as unknown[]) as never,
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
  };
}

export class DatabaseUnreachableError extends Error {}

/**
 * Retries with exponential backoff (0.25 s doubling to 5 s) until `timeoutSeconds` has passed,
 * then fails with the last error. Errors that retrying cannot fix (bad password, missing
 * database) fail at once.
 */
export async function waitForDatabase(
  pool: pg.Pool,
  timeoutSeconds: number,
  onRetry: (attempt: number, err: Error, delayMs: number) => void = () => {},
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let delay = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (raw) {
      const err = raw instanceof Error ? raw : new Error(String(raw));
      const code = (raw as { code?: string }).code;
      if (code === '28P01' || code === '28000' || code === '3D000') {
        throw new DatabaseUnreachableError(`Database rejected the connection: ${err.message}`);
      }
      if (Date.now() + delay > deadline) {
        throw new DatabaseUnreachableError(
          `Database unreachable after ${timeoutSeconds} s (${attempt} attempts): ${err.message}`,
        );
      }
      onRetry(attempt, err, delay);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}
