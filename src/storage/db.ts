/**
 * The pg Pool behind the `Database` port (storage/sql.ts wraps it), and the bounded connect-with-backoff used at start-up
 * (a database that is still booting in docker-compose is normal; one that never answers is not).
 */
import pg from 'pg';
// Registers the type parsers before any pool is used.
import './sql.js';

export type Pool = pg.Pool;

export function createPool(url: string, max: number, applicationName = 'postroom'): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, application_name: applicationName });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
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
