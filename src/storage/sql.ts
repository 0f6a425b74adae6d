/**
 * The only code that opens the `Executor` port: storage modules run their statements through
 * `query`, and main/ hands `jobSql` to the queue adapter so a job can join a transaction.
 * Everything outside storage/ holds an Executor as an opaque handle (services/ports.ts).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  AppError,
  BadRequestError,
  isConnectionFailure,
  ServiceUnavailableError,
  ValidationError,
} from '../lib/errors.js';
import { safeText } from '../lib/safe-text.js';
import type { Database, Executor } from '../services/ports.js';

// Dates stay Dates, but `date` columns are calendar days, not instants: keep them as 'YYYY-MM-DD'.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint counts fit comfortably in a double for every count we keep.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface QueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

/** What an Executor is inside storage: a pg Pool or PoolClient. */
interface Queryable {
  query(text: string | pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult>;
}

function open(ex: Executor): Queryable {
  return ex as unknown as Queryable;
}

/**
 * What a failed statement means to the caller. An unreachable database is a 503 to retry
 * later. A data exception (SQLSTATE class 22: a NUL byte, a value the column type cannot
 * read) or a program limit (class 54: an index row too large, a statement too complex) comes
 * from the input, so it is a 4xx rather than a 500 that a provider would retry forever.
 * Anything else (constraint violations the services handle, bugs) passes through unchanged.
 */
export function translateDatabaseError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isConnectionFailure(err))
    return new ServiceUnavailableError('database_unavailable', 'The database is unavailable');
  const code = (err as { code?: unknown } | null)?.code;
  if (code === '22021' || code === '22P05') {
    return new ValidationError(
      'A value holds characters that cannot be stored (NUL or a lone UTF-16 surrogate)',
      undefined,
      'invalid_characters',
    );
  }
  if (typeof code === 'string' && code.startsWith('22'))
    return new ValidationError(
      `A value was refused: ${(err as Error).message}`,
      undefined,
      'invalid_input',
    );
  if (typeof code === 'string' && code.startsWith('54'))
    return new BadRequestError(
      'input_too_large',
      `A value is too large: ${(err as Error).message}`,
    );
  return err;
}

const rethrow = (err: unknown): never => {
  throw translateDatabaseError(err);
};

/** Runs one statement on the pool or inside the caller's transaction. */
export function query<R = Record<string, unknown>>(
  ex: Executor,
  text: string,
  values?: readonly unknown[],
): Promise<QueryResult<R>> {
  return (open(ex).query(text, values as unknown[]) as unknown as Promise<QueryResult<R>>).catch(
    rethrow,
  );
}

/**
 * Runs one statement as a named prepared statement, so each connection parses and plans its
 * text once instead of on every call: for the hot paths whose SQL is one of a few fixed shapes
 * run thousands of times (the send worker's claim and commit). The name is the text's digest,
 * so a text is prepared once per connection whatever module runs it.
 */
export function prepared<R = Record<string, unknown>>(
  ex: Executor,
  text: string,
  values: readonly unknown[],
): Promise<QueryResult<R>> {
  const name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  const config = { name, text, values: values as unknown[] };
  return (open(ex).query(config) as unknown as Promise<QueryResult<R>>).catch(rethrow);
}

/** The rows of one statement. */
export async function rows<R = Record<string, unknown>>(
  ex: Executor,
  text: string,
  values?: readonly unknown[],
): Promise<R[]> {
  return (await query<R>(ex, text, values)).rows;
}

/** The first row of one statement, or null. */
export async function one<R = Record<string, unknown>>(
  ex: Executor,
  text: string,
  values?: readonly unknown[],
): Promise<R | null> {
  return (await query<R>(ex, text, values)).rows[0] ?? null;
}

/** The `Database` port over a pool: the pool for single statements, a client per transaction. */
export function createDatabase(pool: pg.Pool): Database {
  const transaction = async <T>(fn: (tx: Executor) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch(rethrow);
    // A server that goes away (a restart, an outage) while the transaction waits between two
    // statements errors the client with no query to hear it; unheard, that 'error' event would
    // end the process. The next statement fails instead, and the client is thrown away.
    let broken: Error | undefined;
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn(client as unknown as Executor);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw translateDatabaseError(err);
    } finally {
      client.off('error', onError);
      // A client whose connection died must not go back to the pool.
      client.release(broken);
    }
  };
  const handle: Queryable = { query: (text, values) => pool.query(text, values) };
  return Object.assign(handle, { transaction }) as unknown as Database;
}

/** pg-boss's `db` option for a send inside the caller's transaction. */
export function jobSql(ex: Executor): {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
} {
  return { executeSql: (text, values) => open(ex).query(text, values).catch(rethrow) };
}

/**
 * A jsonb parameter. JSON.stringify writes a lone surrogate (a string cut in the middle of an
 * emoji, say) as `\ud83d`, and a NUL as `\u0000`, both of which jsonb refuses; every string
 * goes through safeText (lib/safe-text.ts) on the way.
 */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? safeText(v) : v));
}

/** The readiness probe's round trip. */
export async function pingDatabase(ex: Executor): Promise<void> {
  await open(ex).query('SELECT 1');
}

/**
 * `col = $n` for each field the patch sets (undefined means "leave it"), appending the values to
 * `values`. Field names come from the repository's own column list, never from input.
 */
export function assignments<T extends object>(
  fields: ReadonlyArray<keyof T & string>,
  patch: Partial<T>,
  values: unknown[],
): string[] {
  const sets: string[] = [];
  for (const f of fields) {
    if (patch[f] === undefined) continue;
    values.push(patch[f]);
    sets.push(`${f} = $${values.length}`);
  }
  return sets;
}
