/**
 * storage/db.ts's pools against a real server: a usual pool leaves the plan choice to
 * PostgreSQL, the commit pool's sessions always take the generic plan, and the settings a pool
 * adds join those the database URL already sets rather than replacing them.
 */
import type pg from 'pg';
import { createGenericPlanPool, createPool } from '../../src/storage/db.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const NAMES = ['plan_cache_mode', 'statement_timeout', 'application_name'] as const;

/** What a new session of `pool` says for each setting; the pool is closed after. */
async function sessionOf(pool: pg.Pool): Promise<Record<string, string>> {
  try {
    const out: Record<string, string> = {};
    for (const name of NAMES) out[name] = (await pool.query(`SHOW ${name}`)).rows[0][name];
    return out;
  } finally {
    await pool.end();
  }
}

describe('database pools and their sessions', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.close());

  test('a usual pool leaves the plan to PostgreSQL; the commit pool always takes the generic one', async () => {
    expect(await sessionOf(createPool(t.url, 1))).toEqual({
      plan_cache_mode: 'auto',
      statement_timeout: '0',
      application_name: 'postroom',
    });
    expect(await sessionOf(createGenericPlanPool(t.url, 1, 'postroom-commit'))).toEqual({
      plan_cache_mode: 'force_generic_plan',
      statement_timeout: '0',
      application_name: 'postroom-commit',
    });
  });

  test("the URL's own options and application name are kept beside the commit pool's setting", async () => {
    const u = new URL(t.url);
    u.searchParams.set('options', '-c statement_timeout=4321');
    u.searchParams.set('application_name', 'from-url');
    expect(await sessionOf(createGenericPlanPool(u.toString(), 1, 'postroom-commit'))).toEqual({
      plan_cache_mode: 'force_generic_plan',
      statement_timeout: '4321ms',
      application_name: 'from-url',
    });
    expect(await sessionOf(createPool(u.toString(), 1))).toEqual({
      plan_cache_mode: 'auto',
      statement_timeout: '4321ms',
      application_name: 'from-url',
    });
  });
});
