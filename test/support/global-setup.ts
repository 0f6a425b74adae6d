/**
 * One PostgreSQL per jest run: the embedded server in a temp dir (or TEST_DATABASE_URL), plus a
 * template database with every migration and pg-boss's schema applied. Each test file clones
 * the template (test/support/db.ts), which takes ~100 ms instead of migrating from scratch.
 *
 * Node loads this file's imports itself (not jest), so they are `.ts` files with erasable
 * syntax only and package imports (see ../shared/notes/toolchain.md).
 */
import { join } from 'node:path';
import pg from 'pg';
import { PgBoss } from 'pg-boss';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/storage/embedded-server.ts';
import { migrate } from '../../src/storage/migrator.ts';
import { makeTempDir } from './temp-dir.ts';

export const TEMPLATE_DB = 'postroom_template';

declare global {
  var __POSTROOM_PG__: EmbeddedServer | undefined;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    // The postgres OS user must be able to reach the dir: the OS temp dir works, root's home does not.
    const dir = join(makeTempDir('postroom-test-'), 'pg');
    const server = await startEmbeddedServer({
      dataDir: dir,
      port: 0,
      database: 'postgres',
      ephemeral: true,
    });
    globalThis.__POSTROOM_PG__ = server;
    adminUrl = server.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  try {
    await migrate(pool, join(import.meta.dirname, '../../migrations'));
  } finally {
    await pool.end();
  }
  const boss = new PgBoss({
    connectionString: templateUrl,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
    max: 2,
  });
  await boss.start();
  await boss.stop({ graceful: false, close: true });
  process.env.POSTROOM_TEST_ADMIN_URL = adminUrl;
}
