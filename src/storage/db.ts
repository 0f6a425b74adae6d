/**
 * The pg Pool behind the `Database` port (storage/sql.ts wraps it), and the bounded connect-with-backoff used at start-up
 * (a database that is still booting in docker-compose is normal; one that never answers is not).
 */
import pg from 'pg';
import { parse } from 'pg-connection-string';
// Registers the type parsers before any pool is used.
import './sql.js';

export type Pool = pg.Pool;

export function createPool(
  url: string,
  max: number,
  applicationName = 'postroom',
  settings: Record<string, string> = {},
): pg.Pool {
  // A URL's own application_name, if any, still wins, as node-postgres has it.
  const pool = new pg.Pool({
    application_name: applicationName,
    ...connection(url, settings),
    max,
  });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/**
 * Where to connect, with session `settings` added to any the URL already sets. The settings go
 * in the startup packet's `options`, so they hold from a connection's first statement without a
 * round trip of their own. node-postgres lets a URL's `options` replace a separate `options`
 * outright, so a URL that sets some (a search_path, say) is read here and the two are joined.
 */
function connection(url: string, settings: Record<string, string>): pg.PoolConfig {
  const ours = Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`);
  if (ours.length === 0) return { connectionString: url };
  const fromUrl = parse(url);
  const options = [fromUrl.options, ...ours].filter(Boolean).join(' ');
  return { ...(fromUrl as pg.PoolConfig), options };
}

/**
 * A pool whose sessions always run a prepared statement's generic plan, for the send worker's
 * commit: one statement, run for every few messages, whose best plan (primary-key lookups of
 * the ids it is given) does not depend on the values. Left to choose, PostgreSQL compares the
 * generic plan's estimate with its first five custom plans, and on a populated, analyzed
 * database it kept planning the commit afresh on every run: about twice the commit's cost to
 * the server (docs/performance.md, "The commit's plan"). Only for statements like that one: a
 * one-off statement on these sessions is planned without its values too.
 */
export function createGenericPlanPool(url: string, max: number, applicationName: string): pg.Pool {
  return createPool(url, max, applicationName, { plan_cache_mode: 'force_generic_plan' });
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
