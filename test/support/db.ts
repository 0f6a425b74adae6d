/**
 * A database per test file, cloned from the migrated template that global-setup built.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDatabase } from '../../src/storage/sql.js';
import type { Database } from '../../src/services/ports.js';

export interface TestDatabase {
  url: string;
  name: string;
  pool: pg.Pool;
  db: Database;
  close(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.POSTROOM_TEST_ADMIN_URL;
  if (!url) throw new Error('POSTROOM_TEST_ADMIN_URL is not set: run the tests through `npm test`');
  return url;
}

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** An empty database (no migrations), for the migration runner's own tests. */
export async function createEmptyDatabase(): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return { url: databaseUrl(name), name, drop: () => dropDatabase(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function createTestDatabase(
  options: { poolMax?: number } = {},
): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  // Two files cloning at once can both see the template "in use" for a moment: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE postroom_template`));
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt > 20) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
    }
  }
  const url = databaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: options.poolMax ?? 5 });
  pool.on('error', () => {});
  let closed = false;
  return {
    url,
    name,
    pool,
    db: createDatabase(pool),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
      await dropDatabase(name);
    },
  };
}
