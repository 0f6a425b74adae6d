/**
 * `.env` is read when present, through Node's own loader; a variable already in the environment
 * wins. Checked on the real binary (jest gives a test its own copy of process.env, so the loader
 * cannot be watched in-process): `postroom status` in a folder whose .env names the database.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { TEST_SECRET } from '../support/app.js';
import { makeTempDir } from '../support/temp-dir.js';

const CLI = join(import.meta.dirname, '../../src/main/cli.ts');
/** tsx by URL: the child runs in a folder with no node_modules of its own. */
const TSX = import.meta.resolve('tsx');

describe('the postroom binary', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  test('reads ./.env: status finds the database the file names', async () => {
    const dir = makeTempDir('postroom-envcli-');
    writeFileSync(
      join(dir, '.env'),
      `DATABASE_URL=${db.url}\nSECRET_KEY=${TEST_SECRET}\nPORT=not-a-port\n`,
    );
    const run = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'status'], {
        cwd: dir,
        // PORT from the environment wins over the file's bad value.
        env: { PATH: process.env.PATH ?? '', PORT: '3999', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    // No worker runs against this database: exit 1, and it says so.
    expect(run.err).toMatch(/no worker process is alive/);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^Processes: 0 alive$/m);
    expect(run.out).toMatch(/^Database: \d+\.\d MB$/m);
  }, 60_000);
});
