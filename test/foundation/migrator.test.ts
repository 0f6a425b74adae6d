import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, MigrationError, readMigrations } from '../../src/storage/migrator.js';
import { createEmptyDatabase } from '../support/db.js';

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

describe('migration runner', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let pool: pg.Pool;

  beforeEach(async () => {
    database = await createEmptyDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
  });
  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  test('applies files in numeric order and records each with its checksum', async () => {
    const dir = migrationsDir({
      '0002_add_column.sql': 'ALTER TABLE things ADD COLUMN label text;',
      '0001_create.sql': 'CREATE TABLE things (id int PRIMARY KEY);',
    });
    const result = await migrate(pool, dir);
    expect(result.applied).toEqual(['0001_create.sql', '0002_add_column.sql']);
    const { rows } = await pool.query(
      'SELECT version, name, length(checksum) AS len FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual([
      { version: 1, name: '0001_create.sql', len: 64 },
      { version: 2, name: '0002_add_column.sql', len: 64 },
    ]);
    const again = await migrate(pool, dir);
    expect(again).toEqual({ applied: [], alreadyApplied: 2 });
  });

  test('refuses to run when an applied file changed', async () => {
    const dir = migrationsDir({ '0001_create.sql': 'CREATE TABLE things (id int PRIMARY KEY);' });
    await migrate(pool, dir);
    writeFileSync(join(dir, '0001_create.sql'), 'CREATE TABLE things (id bigint PRIMARY KEY);');
    await expect(migrate(pool, dir)).rejects.toThrow(
      /0001_create\.sql changed after it was applied/,
    );
  });

  test('refuses a database that has a migration this build does not know', async () => {
    await migrate(pool, migrationsDir({ '0001_a.sql': 'SELECT 1;', '0002_b.sql': 'SELECT 2;' }));
    await expect(migrate(pool, migrationsDir({ '0001_a.sql': 'SELECT 1;' }))).rejects.toThrow(
      /newer than this build/,
    );
  });

  test('a failing migration rolls back and records nothing', async () => {
    const dir = migrationsDir({
      '0001_ok.sql': 'CREATE TABLE a (id int);',
      '0002_bad.sql': 'CREATE TABLE b (id int); SELECT nope;',
    });
    await expect(migrate(pool, dir)).rejects.toThrow(MigrationError);
    const { rows } = await pool.query('SELECT name FROM schema_migrations');
    expect(rows.map((r) => r.name)).toEqual(['0001_ok.sql']);
    const b = await pool.query("SELECT to_regclass('b') AS t");
    expect(b.rows[0].t).toBeNull();
  });

  test('two runners at once: each migration is applied exactly once', async () => {
    // pg_sleep makes the first runner hold the lock long enough for the second to queue behind it.
    const dir = migrationsDir({
      '0001_slow.sql': 'SELECT pg_sleep(0.3); CREATE TABLE counter (n int);',
      '0002_insert.sql': 'INSERT INTO counter VALUES (1);',
    });
    const other = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const [a, b] = await Promise.all([migrate(pool, dir), migrate(other, dir)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(['0001_slow.sql', '0002_insert.sql']);
      const { rows } = await pool.query('SELECT count(*)::int AS n FROM counter');
      expect(rows[0].n).toBe(1);
    } finally {
      await other.end();
    }
  });

  test('rejects badly named and duplicate-numbered files', () => {
    expect(() => readMigrations(migrationsDir({ 'create.sql': 'SELECT 1;' }))).toThrow(
      /must look like 0001_name\.sql/,
    );
    expect(() => readMigrations(migrationsDir({ '0001_a.sql': '', '0001_b.sql': '' }))).toThrow(
      /share version 0001/,
    );
  });
});
